//! Entry point of the distributed caching page (`caching/index.html`): the generic
//! experiment page with this pattern's model and diagram, and no other.

use archsim_web::PatternUi;
use archsim_web::components::cache_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::caching::PATTERN,
    diagram: cache_diagram::draw,
    legend: cache_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
