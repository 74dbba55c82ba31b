# Swarmgate's image: the packaged jar on a Java 17 runtime, run by a user without privileges.
#   mvn -B -DskipTests package && docker build -t swarmgate .
# scripts/build-image.sh builds the same image with no registry, on the test bed's jlink'ed Java 17 (JRE_IMAGE).
# A glibc base, not Alpine's musl: Netty's native epoll transport and OpenSSL (BoringSSL) load only with glibc, and
# without them Swarmgate falls back to Java NIO and the JDK's TLS, which cost more CPU per request.
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}
# Heap as a share of the task's memory limit; e.g. --build-arg JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx192m".
# Metaspace: Swarmgate's classes take about 36 MiB; below 64 MiB the JVM runs a full collection to grow it.
ARG JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:MetaspaceSize=64m"
ENV JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS}
# The health check's wget (busybox has it; Ubuntu's Java images do not). CERTS_DIR: certificates put through the API
# are saved there, so the user must be able to write it. /tmp: Netty unpacks its native libraries there.
RUN (command -v wget >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wget \
      && rm -rf /var/lib/apt/lists/*; }) \
    && mkdir -p /certs && chown 65532:65532 /certs && chmod 1777 /tmp
COPY config-api/target/swarmgate.jar /opt/swarmgate/swarmgate.jar
# A numeric user needs no account in the image; Docker (20.10 and later) lets it bind ports below 1024.
USER 65532:65532
EXPOSE 80 443 8080
ENTRYPOINT ["java", "-jar", "/opt/swarmgate/swarmgate.jar"]
# Liveness on the API port. Swarm replaces a task that stops answering.
HEALTHCHECK --interval=3s --timeout=2s --start-period=30s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT:-8080}/ping" || exit 1
