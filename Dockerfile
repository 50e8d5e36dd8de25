# costper in a container: built on the Swift image (make dist: a stripped binary with the Swift
# runtime linked statically), run on Debian 12 slim with the C libraries it links, headless
# Chromium (report.pdf) and a CJK font (scripts/runtime-packages: the same list scripts/check-dist
# checks on a clean Debian 12 root).
#
#   docker build -t costper .
#   mkdir -p site && docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/site:/work/site" costper
#       # renders the sample month into ./site (index.html, report.pdf, report.xlsx, CSVs)
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/exports:/in:ro" -v "$PWD/site:/work/site" costper \
#       costper report --input /in --out /work/site              # your month
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libxlsxwriter-dev libssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG SOURCE_DATE_EPOCH=0
RUN make dist SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH} \
    && mkdir /prefix && tar -xzf dist/costper-*-linux-*.tar.gz -C /prefix --strip-components=1

FROM debian:12-slim
COPY scripts/runtime-packages /tmp/runtime-packages
RUN apt-get update -qq \
    && grep -v '^#' /tmp/runtime-packages | xargs env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages
COPY --from=build /prefix/ /usr/local/
RUN useradd --create-home --uid 1000 costper && mkdir /work && chown costper /work
USER costper
WORKDIR /work
ENV LANG=C.UTF-8
CMD ["sh", "-c", "costper sample --out /tmp/demo && costper report --input /tmp/demo --out /work/site"]
