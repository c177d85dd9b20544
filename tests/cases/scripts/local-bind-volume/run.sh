#!/bin/sh
# The same bind of the host's / twice: directly, and through a local volume
# created by --mount with bind options.
docker run -d -v /:/host registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
docker run -d --mount type=volume,src=hostroot,dst=/host,volume-driver=local,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/ registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
docker run -d --mount type=volume,src=data,dst=/data registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
