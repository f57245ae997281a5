FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app
FROM build AS test
RUN go test ./...
FROM gcr.io/distroless/static:nonroot AS final
COPY --from=build /out/app /app
USER nonroot:nonroot
ENTRYPOINT ["/app"]
FROM scratch
FROM alpine AS 1bad
FROM alpine AS Has_Mixed.Case-ok
