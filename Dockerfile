# nexuskb on Debian bookworm: builds, indexes content/ and serves on port 8080.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/nexuskb
COPY . .
RUN NEXUSKB_NO_BROWSER=1 scripts/bootstrap && make build && make index && rm -rf /var/lib/apt/lists/*
EXPOSE 8080
CMD ["build/nexuskb-serve", "--index", "var/index", "--listen", "0.0.0.0:8080", "--templates", "templates"]
