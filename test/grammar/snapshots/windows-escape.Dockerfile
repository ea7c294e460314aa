# syntax=docker/dockerfile:1
# escape=`
# check=skip=WorkdirRelativePath

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base
# syntax=this-is-just-a-comment-now
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app\
COPY bin\Release\ C:\app\
ENV TOOLS_DIR=C:\tools `
    GREETING="hello` world"
RUN New-Item -ItemType Directory -Path $env:TOOLS_DIR; `
    # a comment inside the continued instruction
    Write-Host "done"
CMD ["C:\\app\\server.exe", "--port", "8080"]
