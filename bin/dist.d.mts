/** Types of `bin/dist.mjs` (compiled JavaScript in `dist/`, never stale); see that file for the details. */

/** The repository root `bin/dist.mjs` belongs to. */
export declare const PACKAGE_ROOT: string;

/** The data server's one-file build, relative to the repository root (`dist/mcp-server/bundle/main.mjs`). */
export declare const SERVER_BUNDLE: string;

/** Hash of the sources under `root/src`, of `package-lock.json` and of the build format (hex); cached per root. */
export declare function sourceFingerprint(root?: string): string;

/** Whether `root/dist` was built from the sources now in `root/src` (true without a `src/`, false without `dist/`). */
export declare function distIsCurrent(root?: string): boolean;

/** Compile `root/src` to `root/dist`; with `ifStale`, only when `dist/` is not current. */
export declare function buildDist(options?: {
  root?: string;
  ifStale?: boolean;
}): Promise<{ built: boolean; files: number; ms: number }>;

/** Load `dist/<name>.js` (or `dist/<distFile>`) when `dist/` is current, else `src/<name>.ts` through tsx; says which. */
export declare function runEntry(name: string, root?: string, distFile?: string): Promise<'dist' | 'src'>;
