//! Reusable storage for things in flight — queries, the shard requests they
//! fan out into, migration batches — addressed by handles that stay valid
//! only as long as the thing they name: an event about a query that has
//! already ended finds nothing, rather than the next query in its slot.

/// A handle on a slot; `generation` tells a reused slot apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Handle {
    index: u32,
    generation: u32,
}

struct Slot<T> {
    generation: u32,
    item: Option<T>,
}

/// Items addressed by [`Handle`]s, with freed slots reused.
pub(super) struct Slots<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Slots<T> {
    /// Store `item` and return its handle.
    pub(super) fn insert(&mut self, item: T) -> Handle {
        self.live += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.generation = slot.generation.wrapping_add(1);
            slot.item = Some(item);
            Handle {
                index,
                generation: slot.generation,
            }
        } else {
            self.slots.push(Slot {
                generation: 0,
                item: Some(item),
            });
            Handle {
                index: self.slots.len() as u32 - 1,
                generation: 0,
            }
        }
    }

    /// The item `h` names, if it still exists.
    pub(super) fn get(&self, h: Handle) -> Option<&T> {
        let slot = self.slots.get(h.index as usize)?;
        (slot.generation == h.generation)
            .then_some(slot.item.as_ref())
            .flatten()
    }

    /// The item `h` names, if it still exists, to change.
    pub(super) fn get_mut(&mut self, h: Handle) -> Option<&mut T> {
        let slot = self.slots.get_mut(h.index as usize)?;
        if slot.generation == h.generation {
            slot.item.as_mut()
        } else {
            None
        }
    }

    /// Take the item `h` names out, freeing its slot.
    pub(super) fn remove(&mut self, h: Handle) -> Option<T> {
        let slot = self.slots.get_mut(h.index as usize)?;
        if slot.generation != h.generation {
            return None;
        }
        let item = slot.item.take()?;
        self.free.push(h.index);
        self.live -= 1;
        Some(item)
    }

    /// How many items are stored.
    pub(super) fn len(&self) -> usize {
        self.live
    }

    /// The stored items, in slot order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.slots.iter().filter_map(|s| s.item.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_handle_finds_nothing_after_its_slot_is_reused() {
        let mut slots = Slots::default();
        let a = slots.insert("a");
        assert_eq!(slots.remove(a), Some("a"));
        let b = slots.insert("b");
        assert_eq!(slots.get(a), None);
        assert_eq!(slots.remove(a), None);
        assert_eq!(slots.get(b), Some(&"b"));
        assert_eq!(slots.len(), 1);
        assert_eq!(slots.iter().count(), 1);
    }
}
