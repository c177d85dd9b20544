#!/bin/sh
# Variables are placeholders: what they hold is not judged.
docker run $DOCKER_OPTS --memory "$MEM" --cpus "${CPUS:-1}" --pids-limit 50 \
  --user "$(id -u):$(id -g)" --read-only --cap-drop ALL \
  --security-opt no-new-privileges --restart on-failure:5 \
  --health-cmd /bin/true \
  -p "$BIND:8080:8080" \
  "$IMAGE" serve
