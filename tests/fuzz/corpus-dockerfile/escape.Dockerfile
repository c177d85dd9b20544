# escape=`
FROM mcr.microsoft.com/windows/servercore AS base
SHELL ["powershell", "-Command"]
RUN Write-Host `
  hello
FROM base
HEALTHCHECK NONE
VOLUME ["C:/data"]
ENV A=1 `
  B=2
COPY ["a b", "c"]
EXPOSE 80/tcp
STOPSIGNAL SIGKILL
