//! The shop: its services, what each does for a call, whom it calls, and
//! what it costs to run. The same functions make up the monolith, where the
//! calls between them are in-process.

/// One function of the shop, deployed on its own under microservices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Service {
    /// The front door: every page starts here.
    Gateway,
    /// Places orders, and coordinates their transactions.
    Orders,
    /// Stock: reservations and lookups.
    Inventory,
    /// Charges cards.
    Payments,
    /// Quotes delivery.
    Shipping,
    /// Suggests products for a page, with their stock.
    Recommendations,
}

/// Every service, in the order of their fault numbers (from 1).
pub const SERVICES: [Service; 6] = [
    Service::Gateway,
    Service::Orders,
    Service::Inventory,
    Service::Payments,
    Service::Shipping,
    Service::Recommendations,
];

impl Service {
    /// The name in parameters and reports.
    pub const fn name(self) -> &'static str {
        match self {
            Service::Gateway => "gateway",
            Service::Orders => "orders",
            Service::Inventory => "inventory",
            Service::Payments => "payments",
            Service::Shipping => "shipping",
            Service::Recommendations => "recommendations",
        }
    }

    /// Its place in [`SERVICES`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Mean seconds of its own work on one call (exponential).
    pub const fn work(self) -> f64 {
        match self {
            Service::Gateway => 0.001,
            Service::Orders => 0.002,
            Service::Inventory => 0.001,
            Service::Payments => 0.002,
            Service::Shipping => 0.001,
            Service::Recommendations => 0.008,
        }
    }

    /// Mean seconds of the query one call makes on its store (exponential);
    /// none for the gateway and recommendations, which hold what they need
    /// in memory.
    pub const fn query(self) -> Option<f64> {
        match self {
            Service::Gateway | Service::Recommendations => None,
            Service::Orders => Some(0.003),
            Service::Inventory => Some(0.002),
            Service::Payments => Some(0.004),
            Service::Shipping => Some(0.002),
        }
    }

    /// Memory one running copy of it takes, GB.
    pub const fn memory(self) -> f64 {
        match self {
            Service::Gateway => 0.5,
            Service::Orders => 1.0,
            Service::Inventory => 0.75,
            Service::Payments => 1.0,
            Service::Shipping => 0.5,
            Service::Recommendations => 2.0,
        }
    }

    /// Whether it serves the browsing beyond the gateway: the services
    /// that scale with it.
    pub const fn browsed(self) -> bool {
        matches!(self, Service::Recommendations | Service::Inventory)
    }

    /// Whether it waits for its callees without holding a worker: the
    /// gateway is an asynchronous proxy; the services hold a thread per
    /// call.
    pub const fn asynchronous(self) -> bool {
        matches!(self, Service::Gateway)
    }

    /// How many layers of callees lie below it: a caller waits for it
    /// that many call timeouts more than for a leaf.
    pub const fn depth(self) -> u32 {
        match self {
            Service::Gateway => 3,
            Service::Orders => 2,
            Service::Recommendations => 1,
            _ => 0,
        }
    }
}

/// What a call asks of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Op {
    /// A page: checkout or browse, at the gateway.
    Page(Page),
    /// Place an order (orders), showing what customers also bought.
    Place,
    /// Reserve an item (inventory): a saga step, or a 2PC prepare.
    Reserve,
    /// Release a reservation (inventory): a saga's compensation.
    Release,
    /// Look an item's stock up (inventory).
    Stock,
    /// Charge the card (payments): a saga step, or a 2PC prepare.
    Charge,
    /// Refund a charge (payments): a saga's compensation.
    Refund,
    /// Quote delivery (shipping).
    Quote,
    /// Suggest products (recommendations).
    Suggest,
}

/// The two pages users ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Page {
    /// Place an order: orders, inventory, payments, shipping.
    Checkout,
    /// A product page with recommendations and their stock.
    Browse,
}

impl Op {
    /// The service that serves it.
    pub const fn service(self) -> Service {
        match self {
            Op::Page(_) => Service::Gateway,
            Op::Place => Service::Orders,
            Op::Reserve | Op::Release | Op::Stock => Service::Inventory,
            Op::Charge | Op::Refund => Service::Payments,
            Op::Quote => Service::Shipping,
            Op::Suggest => Service::Recommendations,
        }
    }

    /// Whether the page is still worth serving without it: its caller then
    /// answers with a default (when fallbacks are on), degraded.
    pub const fn optional(self) -> bool {
        matches!(self, Op::Suggest | Op::Stock | Op::Quote)
    }

    /// Whether it must happen, however long it takes: a compensation is
    /// retried until it succeeds.
    pub const fn compensation(self) -> bool {
        matches!(self, Op::Release | Op::Refund)
    }
}
