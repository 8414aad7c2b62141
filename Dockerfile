# syntax=docker/dockerfile:1
# MtlsGateway container image: SDK build stage, ASP.NET Core runtime stage.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props .editorconfig MtlsGateway.sln ./
COPY src/ src/
# ReadyToRun: the gateway's, YARP's and OpenTelemetry's code precompiled (the framework's already is), so start-up and
# the first requests after a start or a scale-out do not wait for the JIT (README, Performance). TARGETARCH is the
# image's architecture (amd64, arm64), which `dotnet publish -a` accepts as is.
ARG TARGETARCH
RUN dotnet publish src/MtlsGateway/MtlsGateway.csproj -c Release -o /app -a "$TARGETARCH" --no-self-contained -p:UseAppHost=false \
      -p:PublishReadyToRun=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# OpenSSL's pkcs11 engine and OpenSC's PKCS#11 module (smart cards, network HSM client libraries plug in the same way).
# EXTRA_PACKAGES lets the demo add softhsm2 (docker-compose.yml); production images leave it empty.
ARG EXTRA_PACKAGES=""
RUN apt-get update \
 && apt-get install -y --no-install-recommends libengine-pkcs11-openssl opensc ${EXTRA_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# The runtime image listens on 8080 by default; the gateway's endpoints come from Kestrel:Endpoints only.
# The admin listener binds all interfaces inside the container (it is plain HTTP: publish it to the cluster only).
# Nothing is written outside /tmp: mount a tmpfs there and run with a read-only root filesystem.
ENV ASPNETCORE_HTTP_PORTS= \
    ASPNETCORE_URLS= \
    Gateway__Admin__Url=http://0.0.0.0:8442 \
    TMPDIR=/tmp \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# Configuration, the server certificate and the trust list are mounted at /config (the content root).
WORKDIR /config
# The non-root user the ASP.NET Core images define (uid 1654).
USER $APP_UID
EXPOSE 8443 8442
# The image has no curl: the gateway probes its own admin listener. Keep the URL in step with Gateway:Admin:Url.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "/app/MtlsGateway.dll", "healthcheck", "http://127.0.0.1:8442/healthz/ready"]
ENTRYPOINT ["dotnet", "/app/MtlsGateway.dll"]
