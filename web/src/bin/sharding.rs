//! Entry point of the database sharding page (`sharding/index.html`): the generic
//! experiment page with this pattern's model and diagram, and no other.

use archsim_web::PatternUi;
use archsim_web::components::shard_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::sharding::PATTERN,
    diagram: shard_diagram::draw,
    legend: shard_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
