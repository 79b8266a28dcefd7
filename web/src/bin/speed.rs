//! Entry point of the speed page (`speed/index.html`), which times every
//! pattern's model in this browser: the one load that carries them all.

fn main() {
    archsim_web::start_speed();
}
