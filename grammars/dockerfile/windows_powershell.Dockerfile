# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Write-Host 'hello'; `
    New-Item -ItemType Directory C:\app
COPY app\ C:\app\
ENV GREETING="a `"quoted`" word" DIR=C:\data
RUN ["cmd", "/S", "/C", "echo hi"]
WORKDIR C:\app
FROM mcr.microsoft.com/powershell:lts-nanoserver-1809 AS nano
RUN Get-ChildItem
SHELL ["cmd", "/S", "/C"]
RUN dir
FROM nano
RUN echo still cmd
FROM alpine
RUN echo posix again
