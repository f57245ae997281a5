ARG TAG=3.12 OTHER
ARG EMPTY=
ARG QUOTED="a b"
FROM python:${TAG:-3.12}-slim
ARG TAG
ENV A=1 B="two words" C='single $NOEXPAND' D=$A E=${B:-x}
ENV LEGACY value with   spaces
ENV ESCAPED=a\ b DOLLAR=\$HOME EMPTYVAL=
ENV MULTI="line one \
line two"
ENV =novalue
ENV A=1 bare
ENV ONLYKEY
LABEL maintainer="x@example.com" description="multi word"
LABEL legacy label value
LABEL "quoted.key"="v"
ARG =bad
ARG a b=c
