# The Bandits server: an Orleans silo with the HTTP API.
#   docker build -t bandits .
#   docker run -p 5080:5080 -e Urls=http://0.0.0.0:5080 -e Auth__Disabled=true bandits
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused until dependencies change.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Bandits.Core/Bandits.Core.csproj src/Bandits.Core/
COPY src/Bandits.Abstractions/Bandits.Abstractions.csproj src/Bandits.Abstractions/
COPY src/Bandits.Grains/Bandits.Grains.csproj src/Bandits.Grains/
COPY src/Bandits.Dashboard/Bandits.Dashboard.csproj src/Bandits.Dashboard/
COPY src/Bandits.Server/Bandits.Server.csproj src/Bandits.Server/
RUN dotnet restore src/Bandits.Server/Bandits.Server.csproj
COPY src/ src/
RUN dotnet publish src/Bandits.Server/Bandits.Server.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV Urls=http://0.0.0.0:5080 \
    Storage__DataDirectory=/data
# HTTP, silo-to-silo, and client gateway.
EXPOSE 5080 11111 30000
# The image's unprivileged user; /data holds the embedded database when no PostgreSQL is used.
RUN mkdir /data && chown $APP_UID /data
USER $APP_UID
VOLUME /data
HEALTHCHECK --interval=5s --timeout=4s --start-period=20s --retries=3 CMD ["dotnet", "Bandits.Server.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Bandits.Server.dll"]
