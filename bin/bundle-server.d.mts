/** Types of `bin/bundle-server.mjs` (the data server as one ES module and its lazy chunks); see that file. */

/** Where `buildDist` puts the bundle, relative to `dist/` (`mcp-server/bundle`). */
export declare const SERVER_BUNDLE_DIR: string;

/** The bundle's entry file name in its folder (`main.mjs`). */
export declare const SERVER_BUNDLE_ENTRY: string;

/** `import.meta.dirname` as the folder mirroring the source's own, relative to the bundle's place at run time. */
export declare function mirroredDirname(bundleDir: string): (sourceDir: string) => string;

/** `import.meta.dirname` as the source's own absolute folder (a bundle for this checkout only). */
export declare function absoluteDirname(): (sourceDir: string) => string;

/** Bundle `root/src/mcp-server/main.ts` into `outdir`; resolves with the files written, relative to `outdir`. */
export declare function bundleServer(options: {
  root: string;
  outdir: string;
  dirnameOf: (sourceDir: string) => string;
  splitting: boolean;
  esbuild?: unknown;
}): Promise<{ files: string[] }>;
