#!/bin/sh
set -e
IMAGE=registry.example.com/app:1.2
# start the database
sudo docker run -d --name db \
  -e POSTGRES_PASSWORD=hunter2 \
  -p 5432:5432 \
  postgres:16

# hardock ignore=container/privileged,container/docker-socket-mount
docker run --privileged -v /var/run/docker.sock:/var/run/docker.sock $IMAGE

id=$(docker create --cap-add SYS_ADMIN "$IMAGE")
env FOO=1 command podman run --network=host alpine sh -c 'echo hi'
bash -c "docker run --pid host busybox"
