# syntax = docker/dockerfile:1.7
#check=skip=JSONArgsRecommended,StageNameCasing;error=true
# ESCAPE=\
# unknown=directive ends the directive block and is a comment
# escape=`
FROM alpine
RUN echo a \
    b
