# syntax=docker/dockerfile:1
# escape=\
ARG BASE=ubuntu:22.04
ARG TAG
FROM --platform=$BUILDPLATFORM ${BASE} AS Build
ARG BASE
ENV A=1 B="two words" C=${A}x
ENV LEGACY some value
# hadolint ignore=DL3008
RUN apt-get update && \
    # comment inside

    apt-get install -y curl $(echo hi) `date` | tee /x 2>&1; \
    for i in a b; do echo $i; done
RUN <<EOF
apt-get update
apt-get install -y foo
EOF
RUN bash -e <<-"EOT" && echo done
	apk add x
	EOT
COPY --from=build --chown=1:1 <<EOF /dest
hello
EOF
FROM build
USER app
HEALTHCHECK --interval=30s CMD curl -f http://x || exit 1
FROM scratch
COPY --from=1 /a /b
CMD ["x", "y"]
ONBUILD RUN make
USER $UNKNOWN
