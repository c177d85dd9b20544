#!/bin/sh
# Deploys the service by hand on a single host.
set -e

docker build -t example/web:latest .

docker run -d --name web \
  --privileged \
  -v /var/run/docker.sock:/var/run/docker.sock \
  -p 8080:80 \
  -e DB_PASSWORD=s3cr3t-passw0rd \
  --restart always \
  example/web:latest

sudo docker run -d --name cache --net=host --cap-add=ALL redis
