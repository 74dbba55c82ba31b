# Swarmgate's image: the packaged jar on a Java 17 runtime, run by a user without privileges.
#   mvn -B -DskipTests package && docker build -t swarmgate .
# scripts/build-image.sh builds the same image with no registry, on the test bed's jlink'ed Java 17 (JRE_IMAGE).
ARG JRE_IMAGE=eclipse-temurin:17-jre-alpine
FROM ${JRE_IMAGE}
# Heap as a share of the task's memory limit; e.g. --build-arg JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx192m".
ARG JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENV JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS}
COPY config-api/target/swarmgate.jar /opt/swarmgate/swarmgate.jar
# CERTS_DIR: certificates put through the API are saved there, so the user must be able to write it.
RUN mkdir -p /certs && chown 65532:65532 /certs
# No name needed: Docker (20.10 and later) lets any user of a container bind ports below 1024.
USER 65532:65532
EXPOSE 80 443 8080
ENTRYPOINT ["java", "-jar", "/opt/swarmgate/swarmgate.jar"]
# Liveness on the API port; busybox's wget is in both bases. Swarm replaces a task that stops answering.
HEALTHCHECK --interval=3s --timeout=2s --start-period=30s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT:-8080}/ping" || exit 1
