FROM alpine latest
FROM alpine AS
FROM alpine AS name extra words
FROM alpine as name
FROM "quoted image" AS q
FROM --platform=linux/arm64
FROM ${IMAGE}:${TAG} AS $STAGE
