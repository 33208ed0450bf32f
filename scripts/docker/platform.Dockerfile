# Image of the assembled platform. Build the jar first (./affnet run, or mvn -DskipTests package);
# docker-compose.yml builds this with the repository root as context.
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --home-dir /home/affnet affnet
WORKDIR /app
COPY platform/target/affnet-platform.jar /app/affnet-platform.jar
USER affnet
ENV AXONIQ_UPDATE_CHECKER_DISABLED=true \
    AFFNET_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-Daxoniq.update-checker.disabled=true", "-jar", "/app/affnet-platform.jar"]
