# Swarmgate's image: the packaged jar on a Java 17 runtime, run by a user without privileges.
#   mvn -B -DskipTests package && docker build -t swarmgate .
# scripts/build-image.sh builds the same image with no registry, on the test bed's jlink'ed Java 17 (JRE_IMAGE).
# A glibc base, not Alpine's musl: Netty's native epoll transport and OpenSSL (BoringSSL) load only with glibc, and
# without them Swarmgate falls back to Java NIO and the JDK's TLS, which cost more CPU per request.
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}
# Memory (bench/load/startup.sh measures it): the serial collector, a proxy's heap being small and its pauses short;
# a heap that starts at 16 MiB and grows as needed, up to a share of the task's memory limit (without -Xms the JVM
# starts at 1/64 of the host's memory and the idle process touches far more of it); metaspace: Swarmgate's classes
# take about 36 MiB, and below 64 MiB the JVM runs a full collection to grow it. The class-data sharing archive made
# below holds the classes of a start, parsed and verified: about a third less CPU to the first answer.
ARG JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms16m -XX:MaxRAMPercentage=75 -XX:MetaspaceSize=64m \
-XX:SharedArchiveFile=/opt/swarmgate/swarmgate.jsa"
ENV JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS}
# The health check's wget (busybox has it; Ubuntu's Java images do not). CERTS_DIR: certificates put through the API
# are saved there, so the user must be able to write it. /tmp: Netty unpacks its native libraries there.
RUN (command -v wget >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wget \
      && rm -rf /var/lib/apt/lists/*; }) \
    && mkdir -p /certs && chown 65532:65532 /certs && chmod 1777 /tmp
COPY config-api/target/swarmgate.jar /opt/swarmgate/swarmgate.jar
# The archive: one start on loopback, stopped once it has proxied a request (a service from the environment whose
# backend is the API's /ping), so the classes of the request path are in it too; the JVM writes the classes it loaded
# when it exits. A dynamic archive sits on the runtime's base archive, which a jlink'ed runtime lacks until
# -Xshare:dump makes it.
RUN export JAVA_TOOL_OPTIONS=; (java -Xshare:dump >/dev/null 2>&1 || true); \
    PORT=18080 DEFAULT_PORTS=18081 CERTS_DIR=/tmp/cds DFP_SERVICE_SERVICE_NAME=api DFP_SERVICE_SERVICE_PATH=/ping \
    DFP_SERVICE_PORT=18080 DFP_SERVICE_OUTBOUND_HOSTNAME=127.0.0.1 \
      java -XX:ArchiveClassesAtExit=/opt/swarmgate/swarmgate.jsa -jar /opt/swarmgate/swarmgate.jar >/tmp/cds.log 2>&1 & \
    pid=$!; i=0; until wget -q -O /dev/null http://127.0.0.1:18081/ping; do \
      i=$((i + 1)); [ "$i" -lt 600 ] || { cat /tmp/cds.log; exit 1; }; sleep 0.1; done; \
    kill "$pid"; wait "$pid"; test -s /opt/swarmgate/swarmgate.jsa || { cat /tmp/cds.log; exit 1; }; \
    rm -rf /tmp/cds /tmp/cds.log
# A numeric user needs no account in the image; Docker (20.10 and later) lets it bind ports below 1024.
USER 65532:65532
EXPOSE 80 443 443/udp 8080
ENTRYPOINT ["java", "-jar", "/opt/swarmgate/swarmgate.jar"]
# Liveness on the API port. Swarm replaces a task that stops answering.
HEALTHCHECK --interval=3s --timeout=2s --start-period=30s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT:-8080}/ping" || exit 1
