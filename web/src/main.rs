//! Entry point of the home page (`index.html`): the mind-map, with the
//! catalog's words and no model.

fn main() {
    archsim_web::start_home();
}
