//! Entry point of the load balancing page (`load-balancing/index.html`): the generic
//! experiment page with this pattern's model and diagram, and no other.

use archsim_web::PatternUi;
use archsim_web::components::balancer_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::load_balancing::PATTERN,
    diagram: balancer_diagram::draw,
    legend: balancer_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
