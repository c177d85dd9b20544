#!/bin/sh
# docker run lines met in real repositories (issue 11).
set -eu
docker run -d --name db -e POSTGRES_HOST_AUTH_METHOD=trust -p 5432:5432 postgres:16
docker run -d --name db2 -e MYSQL_ALLOW_EMPTY_PASSWORD=yes -p 127.0.0.1:3306:3306 mysql:8.4
docker run -d --name db3 -e MYSQL_ALLOW_EMPTY_PASSWORD -e POSTGRES_HOST_AUTH_METHOD=md5 postgres:16
docker run -d --name cache redis:7 redis-server --requirepass s3cr3t-Passw0rd
docker run -d --name cache2 redis:7 redis-server --requirepass "$REDIS_PASSWORD"
docker run --rm curlimages/curl:8.8.0 curl -u admin:Sup3rSecret https://api.example.com/
docker run --rm --entrypoint sh mysql:8.4 -c 'mysqldump -uroot -pHunter2secret app > /dump/app.sql'
docker run -d --restart on-failure:10 --name r1 alpine:3.20 sleep 1d
docker run -d --restart on-failure:3 --name r2 alpine:3.20 sleep 1d
docker run -d --restart always --name r3 alpine:3.20 sleep 1d
docker service create --restart-condition any --restart-max-attempts 9 --name s1 alpine:3.20
docker run -d --user -0 --name u1 alpine:3.20
docker run -d --user +00:wheel --name u2 alpine:3.20
docker run -d --user 1000 --name u3 bitnami/redis:7.2
docker run -d --name u4 bitnami/redis:7.2
docker run -d --name u5 registry.example.com/team/app:1.0
docker run -d --security-opt apparmor=unconfined --security-opt seccomp=unconfined --name sec alpine:3.20
docker run -d -v /dev/shm:/dev/shm -v /etc:/host/etc:ro -v /etc/ssl/private:/k:ro --name m1 alpine:3.20
docker run -d --mount type=bind,src=/root/.ssh,dst=/ssh,readonly -v /var/lib/docker:/d --name m2 alpine:3.20
docker run -d -v /dev/null:/app/.env -v /etc/ssl/certs:/etc/ssl/certs:ro --name m3 alpine:3.20
docker run -d -p 127.0.0.1:x:80 --name badport nginx:1.27
docker run -d --name pos alpine:3.20 sh -c 'exec "$@"' sh app --password s3cr3t-Passw0rd
docker run -d --name wrapped redis:7 gosu redis redis-server --requirepass s3cr3t-Passw0rd
