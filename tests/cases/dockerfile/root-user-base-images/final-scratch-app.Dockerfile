FROM golang:1.22@sha256:9a9b9c9d9e9f909192939495969798999a9b9c9d9e9f90919293949596979899 AS build
RUN go build -o /app .
FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
