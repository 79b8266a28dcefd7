//! A partition and its consumer as textbook queues: with Poisson
//! publishing, exponential handling, one partition and one consumer per
//! service, each service is an M/M/1 queue behind two fixed network hops,
//! so its publish-to-handled percentiles follow in closed form; and a
//! saturated group handles what its busy consumers can, each owning its
//! share of partitions. A sweep draws these beside the simulated curve and
//! says which assumption is broken where they do not hold.

use super::params::{Integration, Params, PartitionKey};
use crate::theory::{Expected, Prediction, mm1_response_quantile};
use archsim_core::Shape;

/// Where the latency overlay's numbers come from.
const MM1: &str = "M/M/1 time in system, exponential with rate μ − λ, plus two network hops \
    (Kleinrock, Queueing Systems I, §3.2)";
/// Where the throughput overlay's numbers come from.
const SATURATION: &str = "each consumer handles at most 1/handle_time events a second, of its \
    partitions' share of the stream (Kafka: at most one consumer of a group per partition)";

/// What theory predicts for the headline number `stat` under `params`.
pub(super) fn predict(params: &Params, stat: &str) -> Option<Prediction> {
    match stat {
        "handled p50" => Some(latency(params, 0.5)),
        "handled p99" => Some(latency(params, 0.99)),
        "throughput" => Some(throughput(params)),
        _ => None,
    }
}

/// The `q`-quantile of publish-to-handled time, in milliseconds.
fn latency(p: &Params, q: f64) -> Prediction {
    single_queue(p)?;
    let (lambda, mu) = (p.publish_rate, 1.0 / p.handle_time);
    if lambda >= mu {
        return Err(
            "it needs a consumer faster than the stream (publish_rate below 1/handle_time)",
        );
    }
    Ok(Expected {
        value: 1000.0 * (mm1_response_quantile(lambda, mu, q) + 2.0 * p.network_delay),
        source: MM1,
    })
}

/// The first assumption of the single-queue result that `p` breaks.
fn single_queue(p: &Params) -> Result<(), &'static str> {
    if p.integration != Integration::Events {
        return Err("it needs events pushed to the consumers, neither calls nor polling");
    }
    if p.handle_distribution != Shape::Exponential {
        return Err("it needs exponential handling times");
    }
    if p.partitions != 1 {
        return Err("it needs one partition, which one consumer handles in order");
    }
    if p.replicas != 1 {
        return Err("it needs one broker: copies to followers add a random delay");
    }
    undisturbed(p)
}

/// The first disturbance in `p` that no steady-state result allows for.
fn undisturbed(p: &Params) -> Result<(), &'static str> {
    if !p.faults.is_empty() || p.crash_interval > 0.0 || !p.leader_crashes.is_empty() {
        return Err("it needs a run without faults or crashes");
    }
    if p.poison_at > 0.0 {
        return Err("it needs a run without a poison event");
    }
    Ok(())
}

/// Events handled per second over every service, in the long run.
fn throughput(p: &Params) -> Prediction {
    if p.integration != Integration::Events {
        return Err("it needs events pushed to the consumers");
    }
    if p.partition_key != PartitionKey::None {
        return Err("it needs events spread round robin: keyed partitions get unequal shares");
    }
    undisturbed(p)?;
    let mu = 1.0 / p.handle_time;
    let per_partition = p.publish_rate / f64::from(p.partitions);
    // The range assignment: the first `extra` consumers own one more.
    let active = p.consumers.min(p.partitions);
    let (each, extra) = (p.partitions / active, p.partitions % active);
    let per_service: f64 = (0..active)
        .map(|c| {
            let owned = each + u32::from(c < extra);
            (per_partition * f64::from(owned)).min(mu)
        })
        .sum();
    Ok(Expected {
        value: per_service * f64::from(p.services),
        source: SATURATION,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturated_throughput_stops_at_the_partition_count() {
        let p = |consumers| Params {
            partitions: 4,
            consumers,
            partition_key: PartitionKey::None,
            publish_rate: 500.0,
            handle_time: 0.01,
            ..Params::default()
        };
        let at = |c| throughput(&p(c)).unwrap().value;
        assert_eq!(at(1), 100.0);
        assert_eq!(at(2), 200.0);
        assert_eq!(at(4), 400.0);
        assert_eq!(at(6), 400.0, "two consumers own nothing");
        assert_eq!(
            at(3),
            100.0 + 100.0 + 100.0,
            "one owns two partitions, 250/s, capped"
        );
    }

    #[test]
    fn the_latency_result_names_what_it_needs() {
        let p = Params {
            partitions: 2,
            ..Params::default()
        };
        assert!(latency(&p, 0.5).unwrap_err().contains("one partition"));
    }
}
