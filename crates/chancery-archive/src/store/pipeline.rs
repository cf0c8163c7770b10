//! Volumes written to PostgreSQL on several connections at once, so that an ingest does not
//! wait for each commit's flush before sending the next volume (the server then flushes several
//! commits together). Each volume is still one transaction; a volume id is never in flight
//! twice, so puts of one volume commit in the order they were made.

use std::collections::HashSet;
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::{PgStore, Store, VolumeRecord};
use crate::{ArchiveError, Result};

/// A volume written (or not): the record, what travelled with it, and its change sequence.
pub(crate) type Finished<T> = (VolumeRecord, T, Result<i64>);

/// Writer threads, each with its own connection, fed through a bounded queue.
pub(crate) struct Pipeline<T: Send + 'static> {
    jobs: Option<SyncSender<(VolumeRecord, T)>>,
    done: Receiver<Finished<T>>,
    in_flight: HashSet<String>,
    pending: usize,
    limit: usize,
}

impl<T: Send + 'static> Pipeline<T> {
    /// Starts `connections` writers to the database at `url`.
    pub(crate) fn start(url: &str, connections: usize) -> Result<Self> {
        let connections = connections.max(1);
        let (jobs, queue) = sync_channel::<(VolumeRecord, T)>(connections);
        let queue = Arc::new(Mutex::new(queue));
        let (report, done) = channel();
        for i in 0..connections {
            let store = PgStore::new(url)?;
            let (queue, report) = (queue.clone(), report.clone());
            std::thread::Builder::new()
                .name(format!("chancery-pg-{i}"))
                .spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((record, extra)) = job else { return };
                    let result = store.put_volume(&record);
                    if report.send((record, extra, result)).is_err() {
                        return;
                    }
                })?;
        }
        Ok(Pipeline {
            jobs: Some(jobs),
            done,
            in_flight: HashSet::new(),
            pending: 0,
            limit: connections * 2,
        })
    }

    fn recv(&mut self) -> Result<Finished<T>> {
        let f = self
            .done
            .recv()
            .map_err(|_| ArchiveError::Postgres("the database writers stopped".to_string()))?;
        self.pending -= 1;
        self.in_flight.remove(&f.0.id);
        Ok(f)
    }

    /// Queues a volume; returns the volumes finished meanwhile. Waits while the same volume is
    /// in flight, or while too many are.
    pub(crate) fn send(&mut self, record: VolumeRecord, extra: T) -> Result<Vec<Finished<T>>> {
        let mut out = Vec::new();
        while self.pending > 0
            && (self.in_flight.contains(&record.id) || self.pending >= self.limit)
        {
            out.push(self.recv()?);
        }
        self.in_flight.insert(record.id.clone());
        self.pending += 1;
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|j| j.send((record, extra)).is_ok());
        if !sent {
            return Err(ArchiveError::Postgres(
                "the database writers stopped".to_string(),
            ));
        }
        while let Ok(f) = self.done.try_recv() {
            self.pending -= 1;
            self.in_flight.remove(&f.0.id);
            out.push(f);
        }
        Ok(out)
    }

    /// Waits for every queued volume.
    pub(crate) fn finish(&mut self) -> Result<Vec<Finished<T>>> {
        let mut out = Vec::new();
        while self.pending > 0 {
            out.push(self.recv()?);
        }
        Ok(out)
    }
}
