# syntax=docker/dockerfile:1.7
FROM golang:1.26 AS build
ARG VERSION=dev
ENV CGO_ENABLED=0 \
    GOFLAGS="-trimpath -mod=readonly"
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod \
    go mod download
COPY . .
RUN go build -ldflags "-X main.version=${VERSION}" -o /out/ledger ./cmd/ledger

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/ledger /ledger
USER 65532:65532
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s CMD ["/ledger", "healthcheck"]
ENTRYPOINT ["/ledger"]
RUN <<EOF
echo "a heredoc"
EOF
LABEL org.opencontainers.image.source="https://example.com/ledger" \
      maintainer='payments team'
