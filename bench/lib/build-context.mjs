// The build context the build benchmark builds: a two-stage Containerfile (RUN steps making a few
// hundred files, a COPY of a source tree of a few thousand small files, a final stage copying
// from the first) and that tree. Contents are fixed by the file count, so a second build of the
// same context is a cache hit in both engines.
import fs from 'node:fs';
import path from 'node:path';

export const CONTAINERFILE = `FROM busybox AS builder
RUN mkdir -p /out/gen && cd /out/gen && i=0 && while [ $i -lt 200 ]; do echo "generated file $i" > f$i.txt; i=$((i+1)); done
RUN mkdir -p /out/rand && cd /out/rand && i=0 && while [ $i -lt 100 ]; do head -c 4096 /dev/urandom > r$i.bin; i=$((i+1)); done
RUN cp -a /out/gen /out/copy && rm /out/gen/f1.txt && echo built > /out/stamp
COPY src/ /src/
RUN find /src -type f | wc -l > /out/count
FROM busybox
ENV APP=/app
COPY --from=builder /out /app/out
COPY --from=builder /src /app/src
WORKDIR /app
CMD ["ls", "/app"]
`;

/** Writes the Containerfile and `files` small files (100 per directory, 64 B – 2 KiB) under dir. */
export function makeBuildContext(dir, files) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Containerfile'), CONTAINERFILE);
  const line = 'const value = "the quick brown fox jumps over the lazy dog";\n';
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, 'src', `pkg${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(sub, { recursive: true });
    const body = `// file ${i}\n${line.repeat(1 + ((i * 7) % 32))}`;
    fs.writeFileSync(path.join(sub, `mod${i}.js`), body);
    bytes += body.length;
  }
  return { files, bytes };
}
