// The first script of the sweep worker (web/src/sweep/worker.rs).
//
// On the page, this module only says where it is. Started as a module
// worker with `?glue=URL`, it loads the page's own bundle — already in the
// browser's cache — whose `main` then finds itself in a worker and serves
// sweeps instead of drawing a page. The file comes from the site itself,
// so a strict Content-Security-Policy allows it as a worker.
export function loaderUrl() {
  return import.meta.url;
}

const asked = new URL(import.meta.url).searchParams;
if (asked.has("glue")) {
  const glue = asked.get("glue");
  const bundle = await import(glue);
  await bundle.default({ module_or_path: glue.replace(/\.js$/, "_bg.wasm") });
}
