//! The command line: commands and their arguments (clap derive only; no behaviour here).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Search football news: articles, the players, clubs and competitions they mention,
/// what people said and what the score was.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    /// Options every command takes.
    pub global: GlobalArgs,
    #[command(subcommand)]
    /// What to do.
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Index directory [default: ./index]
    #[arg(long, global = true, env = "NEWSIDX_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Extra knowledge-base file(s) adding or overriding players, managers, clubs and
    /// competitions (format: kb/README.md); `INDEX/kb.txt` is also read when present
    #[arg(long = "kb", global = true, value_name = "FILE")]
    pub kb: Vec<PathBuf>,
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add articles from files and directories to the index (default: ./corpus)
    Add(AddArgs),
    /// Search articles (BM25 over title and body; tantivy query syntax)
    Search(SearchArgs),
    /// Find quotes: what did X say (about Y)?
    Quotes(QuotesArgs),
    /// List match results: what were X's results?
    Facts(FactsArgs),
    /// Print one stored article in full
    Show(ShowArgs),
    /// Summarise the index: articles, size, outlets, date range
    Stats(StatsArgs),
    /// Remove articles by id, or every article read from a path
    Rm(RmArgs),
    /// Verify the index (files, checksums, segments, stored documents, counts); exit 2 and
    /// print the command that rebuilds it when it is damaged
    Check(CheckArgs),
    /// Print what newsidx extracts from articles (tags, quotes, facts), without an index
    Extract(ExtractArgs),
    /// List the players, managers, clubs and competitions in the index with article counts
    Entities(EntitiesArgs),
    /// Manage the knowledge base kept with the index
    #[command(subcommand)]
    Kb(KbCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `newsidx man > newsidx.1`
    Man,
}

/// `newsidx kb ...`.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Import people (CSV: name, aliases, role, club, country; or FIFA-style columns) and
    /// openfootball club and league lists into the index's knowledge base (INDEX/kb.txt)
    Import(KbImportArgs),
}

/// `newsidx kb import`.
#[derive(Debug, Args)]
pub struct KbImportArgs {
    /// Files to import
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The files' format [default: detected from the name and first lines]
    #[arg(long, value_enum)]
    pub format: Option<KbFormat>,
    /// Country code (FIFA, e.g. ENG) for imported clubs, when the file does not say
    #[arg(long, value_name = "CODE")]
    pub country: Option<String>,
    /// Write to this file instead of INDEX/kb.txt (then use it with --kb FILE)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Knowledge-base import formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KbFormat {
    /// A CSV of people (generic or FIFA-style columns).
    PeopleCsv,
    /// An openfootball clubs list.
    OpenfootballClubs,
    /// An openfootball leagues list.
    OpenfootballLeagues,
}

/// `search --sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Most relevant first (BM25, title weighted twice).
    Score,
    /// Newest first.
    Date,
}

/// Output format of commands that print results.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct OutputArgs {
    /// Print one JSON document (the schema is in the README)
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Print JSON Lines: one object per result
    #[arg(long)]
    pub jsonl: bool,
}

/// `newsidx add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Files or directories to read; `-` reads JSON Lines from stdin [default: ./corpus]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Follow symbolic links while walking directories
    #[arg(long)]
    pub follow: bool,
    /// Also read hidden files and directories (names starting with `.`)
    #[arg(long)]
    pub hidden: bool,
    /// Skip files (and JSON lines) larger than this many megabytes
    #[arg(long, value_name = "MB", default_value_t = 16)]
    pub max_size: u64,
    /// Index the text only, without tagging players, clubs and competitions (faster)
    #[arg(long)]
    pub no_tags: bool,
    /// Wait for another `newsidx add` to finish instead of failing with "index is busy"
    #[arg(long)]
    pub wait: bool,
    /// Commit (make durable) after every N new or changed articles; each such commit prints
    /// "newsidx: committed: K articles read so far are durable" on stderr
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20_000,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub commit_every: u64,
    /// Print the summary as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Do not show a progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// `newsidx search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND/OR/NOT, -word, field:term (fields: title, body)
    #[arg(
        value_name = "QUERY",
        allow_hyphen_values = true,
        required_unless_present = "batch"
    )]
    pub query: Option<String>,
    /// Run one query per line of FILE (`-`: stdin) in one process; prints JSON Lines, one
    /// result document per query, tagged with its query
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// How many hits to print
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first (for paging)
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Order: by relevance (BM25) or newest first
    #[arg(long, value_enum, default_value_t = SortOrder::Score)]
    pub sort: SortOrder,
    /// Also list the top players, managers, clubs and competitions among all hits, with counts
    #[arg(long)]
    pub facets: bool,
    /// Tolerate misspellings: words (not phrases) also match words one edit away, or N
    /// (at most 2) with --fuzzy=N ("Ronaldinio" finds Ronaldinho)
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "1", require_equals = true,
          value_parser = clap::value_parser!(u8).range(1..=2))]
    pub fuzzy: Option<u8>,
    /// Keep only these fields of each hit in JSON output (comma-separated: rank, score, id,
    /// title, date, outlet, url, source, line, tags, snippet); with --json, --jsonl or --batch
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub fields: Vec<String>,
    /// With --batch: print how long each query took to stderr at the end (median, 95th
    /// percentile, slowest), measured inside the process
    #[arg(long, requires = "batch")]
    pub timings: bool,
    /// Only articles from this outlet (exactly as `stats` lists it); repeat for several
    #[arg(long, value_name = "OUTLET")]
    pub outlet: Vec<String>,
    /// Only articles published on or after: YYYY-MM-DD, or a span back from today (7d, 2w, 6m, 1y)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before: YYYY-MM-DD, or a span back from today
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    #[command(flatten)]
    /// Tag filters.
    pub filters: FilterArgs,
    #[command(flatten)]
    /// Output format.
    pub output: OutputArgs,
}

/// Filters by tag, shared by the commands that list articles.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only articles tagged with this player or manager (any name or alias: "Nunez", "Darwin Núñez"); repeat to require several
    #[arg(long, value_name = "NAME")]
    pub player: Vec<String>,
    /// Only articles tagged with this club or national team (any alias: "Spurs", "Los Blancos")
    #[arg(long, value_name = "NAME")]
    pub club: Vec<String>,
    /// Only articles tagged with this competition (any alias: "Carabao Cup", "European Cup")
    #[arg(long, value_name = "NAME")]
    pub competition: Vec<String>,
}

/// `newsidx show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (as printed by `search`)
    pub id: String,
    /// Print the article as JSON
    #[arg(long)]
    pub json: bool,
}

/// `newsidx stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print the statistics as JSON
    #[arg(long)]
    pub json: bool,
}

/// `newsidx check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// `newsidx rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Article ids to remove
    #[arg(value_name = "ID", required_unless_present = "source")]
    pub ids: Vec<String>,
    /// Remove every article read from this file, or from any file under this directory
    #[arg(long, value_name = "PATH", conflicts_with = "ids")]
    pub source: Option<PathBuf>,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// `newsidx extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Article files or directories
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Print JSON Lines: one object per article (the evaluation contract)
    #[arg(long)]
    pub json: bool,
    /// Skip files (and JSON lines) larger than this many megabytes
    #[arg(long, value_name = "MB", default_value_t = 16)]
    pub max_size: u64,
}

/// `newsidx entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only this kind
    #[arg(long, value_enum)]
    pub kind: Option<EntityKind>,
    /// How many per kind
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// Kinds of tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntityKind {
    /// Players.
    Player,
    /// Managers and head coaches.
    Manager,
    /// Clubs and national teams.
    Club,
    /// Competitions.
    Competition,
}

impl EntityKind {
    /// The facet root of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Player => "player",
            EntityKind::Manager => "manager",
            EntityKind::Club => "club",
            EntityKind::Competition => "competition",
        }
    }
}

/// `newsidx quotes`.
#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// Words in the quote (tantivy query syntax); without it, the newest quotes
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Only quotes by this person (any name or alias); repeat for several
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    #[command(flatten)]
    /// Filters on the quoting article's tags.
    pub filters: FilterArgs,
    /// How many quotes to print
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Also list partial quotes (under four words, scare quotes)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    /// Output format.
    pub output: OutputArgs,
}

/// `newsidx facts`.
#[derive(Debug, Args)]
pub struct FactsArgs {
    #[command(flatten)]
    /// Filters: --club keeps results of that club; --player/--competition the article's tags.
    pub filters: FilterArgs,
    /// Only results reported on or after this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// How many matches to print
    #[arg(long, short = 'n', default_value_t = 50)]
    pub limit: usize,
    #[command(flatten)]
    /// Output format.
    pub output: OutputArgs,
}
