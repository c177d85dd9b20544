# No shebang needed: the .bash extension says it is a script.
podman run -d --userns=keep-id --security-opt label=disable \
  --security-opt seccomp=unconfined --device /dev/kmsg quay.io/app/api:1@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08

docker service create --name web --publish published=80,target=8080 \
  --mount type=bind,source=/etc,target=/host/etc \
  --env API_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345 \
  --restart-condition any nginx:1.27
