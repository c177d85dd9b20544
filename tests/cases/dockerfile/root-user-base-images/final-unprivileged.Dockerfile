FROM nginxinc/nginx-unprivileged:1.27-alpine@sha256:0e0d0c0b0a090807060504030201000f1f1e1d1c1b1a19181716151413121110
COPY index.html /usr/share/nginx/html/
HEALTHCHECK CMD ["true"]
