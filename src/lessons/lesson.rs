//! A lesson once read: its title, what it runs, and its stops, each with
//! the question it asks, if any. `format` reads it from its file. Its
//! `Card` is what the list shows of it.

use super::run::RunSpec;

/// The question a stop asks before the next step is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Which party sends the next message?
    NextSender,
    /// Will the next request succeed?
    WillSucceed,
}

impl Ask {
    pub fn value(self) -> &'static str {
        match self {
            Self::NextSender => "next_sender",
            Self::WillSucceed => "will_succeed",
        }
    }
}

/// A point where the lesson pauses: the run is shown up to step `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// Counts from 1, as the diagram numbers the steps.
    pub at: usize,
    pub title: Option<String>,
    pub text: String,
    pub ask: Option<Ask>,
    /// The request line the author expects at step `at` (`POST /token`):
    /// checked against the run, so a lesson whose steps have moved says
    /// so instead of describing the wrong message.
    pub request: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The file name in `lessons/`.
    pub file: String,
    pub title: String,
    pub summary: Option<String>,
    pub run: RunSpec,
    pub stops: Vec<Stop>,
}

impl Lesson {
    /// How many stops ask a question.
    pub fn question_count(&self) -> usize {
        self.stops.iter().filter(|stop| stop.ask.is_some()).count()
    }

    /// What the list shows of it.
    pub fn card(&self) -> Card {
        Card {
            title: self.title.clone(),
            summary: self.summary.clone(),
            run: self.run,
            stops: self.stops.len(),
            questions: self.question_count(),
        }
    }
}

/// A lesson's card on the list: read from its file, or from the card a
/// release build wrote into `index.json` for each lesson it ships
/// (scripts/lessons-post-build.mjs), so the list need not fetch every file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub title: String,
    pub summary: Option<String>,
    pub run: RunSpec,
    pub stops: usize,
    pub questions: usize,
}
