// Bundles the chat widget, the kiosk page script and the officers' cohort charts into dist/ with esbuild.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2018"],
  legalComments: "eof",
  logLevel: "info",
};
await build({ ...common, entryPoints: ["src/widget.js"], outfile: "dist/widget.js" });
await build({ ...common, entryPoints: ["src/kiosk.js"], outfile: "dist/kiosk.js" });
await build({ ...common, entryPoints: ["src/cohort.js"], outfile: "dist/cohort.js" });
