//! Entry point of the map editor's wasm binary (`map/index.html`), which
//! Trunk builds from `web/editor.html`.

fn main() {
    archsim_web::start_editor();
}
