//! Entry point of the wasm binary that Trunk builds.

fn main() {
    archsim_web::start();
}
