# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/MtlsGateway/MtlsGateway.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends libengine-pkcs11-openssl opensc \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Configuration, certificates and the trust list are mounted at /config (the content root).
WORKDIR /config
USER app
EXPOSE 8443
ENTRYPOINT ["dotnet", "/app/MtlsGateway.dll"]
