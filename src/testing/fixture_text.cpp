#include "fixture_text.hpp"

#include <map>
#include <vector>

namespace datadao::testkit::text {
namespace {

using Items = std::vector<std::string_view>;

// Slot fillers. "{name}" expands to one item of the list `name`; "{a|b|c}" to one of the
// alternatives; both may nest. Person names are avoided: the pools' scrubber would redact them.
const std::map<std::string_view, Items>& lists() {
  static const std::map<std::string_view, Items> kLists = {
      // --- shared -------------------------------------------------------------------------
      {"num", {"2", "3", "4", "5", "6", "7", "8", "10", "12", "15", "20"}},
      {"big_num", {"40k", "200k", "1.5 million", "12 million", "300k", "80 thousand"}},
      {"pct", {"5", "12", "20", "30", "40", "60", "75", "85", "93", "98"}},
      {"price", {"10", "20", "25", "50", "100", "200"}},
      {"amount", {"4,000", "12,500", "27,000", "8,300", "45,000", "1,900", "60,000"}},
      {"year", {"2014", "2016", "2017", "2019", "2020", "2021", "2022", "2023"}},
      {"age", {"22", "25", "27", "30", "34", "38", "41", "45", "52"}},
      {"time_ago",
       {"last week", "yesterday", "a couple of months ago", "this morning", "back in {year}",
        "over the weekend", "last summer", "two years ago", "a few days ago", "last night",
        "earlier this year", "in college"}},
      {"relative",
       {"dad", "mom", "grandma", "grandpa", "uncle", "aunt", "older brother", "sister", "roommate",
        "partner", "coworker", "neighbour", "best friend", "landlord"}},
      {"weekday", {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}},
      {"month", {"March", "April", "May", "June", "July", "August", "September", "October"}},
      {"weather",
       {"cold and windy", "way too hot", "perfect", "rainy", "humid", "freezing", "sunny"}},
      {"reaction",
       {"This is the way.",
        "Came here to say this.",
        "Source?",
        "Underrated comment.",
        "Take my upvote.",
        "This deserves more upvotes.",
        "Same here.",
        "Can confirm.",
        "Username checks out.",
        "TIL.",
        "Saving this thread.",
        "Big if true.",
        "This is so wholesome.",
        "Seconding this.",
        "Not all heroes wear capes.",
        "Hard agree.",
        "Oh no.",
        "Wait, really?",
        "Happy cake day!",
        "Thank you for posting this.",
        "Underrated advice right here.",
        "This thread is gold.",
        "I feel seen.",
        "Oof.",
        "Congrats, that's awesome!",
        "Ha, relatable."}},
      {"experience",
       {"I had the same problem, what fixed it for me was {fix}.",
        "My {relative} {relative_did} and {relative_outcome}.",
        "I tried this {time_ago} and {outcome}.", "Been doing this for {num} years and {lesson}.",
        "Same thing happened to me {time_ago}, {outcome}.",
        "When I was {age} I {young_did}, and {outcome}.",
        "Honestly {fix} is what finally worked for me.",
        "Took me {num} {unit} to figure out that {lesson}.",
        "I used to think {belief}, but {lesson}."}},
      {"fix",
       {"just starting over from scratch", "writing everything down", "asking for help earlier",
        "going to bed an hour earlier", "reading the manual, of all things", "taking a week off",
        "doing it in smaller steps", "switching to a cheaper brand",
        "buying the right tool for once", "talking to someone who had done it before",
        "cutting out caffeine after noon", "setting a timer", "a lot of patience"}},
      {"relative_did",
       {"did exactly this for {num} years", "tried the same thing {time_ago}",
        "swore by this method", "still talks about that", "warned me about this",
        "laughed at me for asking"}},
      {"relative_outcome",
       {"never looked back", "still brings it up at dinner", "was right, annoyingly",
        "regretted it within a week", "it worked out fine", "now everyone in the family does it"}},
      {"outcome",
       {"it worked way better than expected", "it was a total disaster",
        "it saved me a ton of money", "I'm never going back", "it took forever but it was worth it",
        "I still don't know what went wrong", "it honestly changed my life a little",
        "it was fine, nothing special"}},
      {"lesson",
       {"consistency beats intensity every time", "cheap stuff ends up costing more",
        "nobody actually knows what they're doing", "the basics matter more than anything",
        "you should never skip the boring part", "it's fine to ask dumb questions",
        "sleep fixes more than you'd think", "the first attempt is always rough"}},
      {"young_did",
       {"tried the exact same thing", "ignored all of this advice",
        "thought I knew better than everyone", "did it the hard way", "learned this by accident"}},
      {"belief",
       {"it was overrated", "I was too old for it", "it had to be expensive",
        "more was always better", "nobody cared about the details"}},
      {"unit", {"weeks", "months", "years", "tries", "attempts"}},
      {"closer",
       {"Good luck!", "Hope that helps.", "Thanks for sharing.", "Keep us posted!",
        "Edit: thanks for the award, kind stranger!", "Edit: wow, this blew up.", "Cheers.",
        "Just my two cents.", "YMMV though.", "Report back!", "You got this.", "Edit: spelling.",
        "Anyway, that's my story.", "Happy to answer questions."}},
      {"post_tail",
       {"Any advice appreciated.", "Thanks in advance!", "Sorry for the long post.",
        "Sorry for formatting, on mobile.", "Throwaway because my {relative} uses reddit.",
        "TL;DR: {lesson}.", "Would love to hear how others handle this.",
        "Long time lurker, first post.", "Be nice please, I'm new here."}},
      {"edit",
       {"Edit: thanks everyone for the replies!",
        "Edit: I'm reading every comment, you're all great.", "Edit: solved, see the top comment.",
        "Update: it worked!", "Edit: formatting.", "Edit: to everyone asking, yes, I tried that.",
        "Edit: wow, did not expect this to blow up."}},
      // --- AskReddit ----------------------------------------------------------------------
      {"thing_done",
       {"meal you've ever had", "book you've ever read", "concert you've ever been to",
        "advice you've ever gotten", "gift you've ever received", "video game you've ever played",
        "road trip you've ever taken", "sandwich you've ever eaten", "movie you've ever watched",
        "podcast you've ever listened to", "purchase you've ever made", "job you've ever had",
        "hike you've ever done", "vacation you've ever taken"}},
      {"habit",
       {"put milk in before cereal", "reply all to company emails", "keep 47 tabs open",
        "never use the turn signal", "wake up at 5am on purpose", "eat pizza with a fork",
        "clap when the plane lands", "leave one bite of food on the plate",
        "read the last page of a book first", "shower at night"}},
      {"learned_when",
       {"embarrassingly late in life", "after moving out", "in your thirties",
        "after becoming a parent", "from a stranger on the internet", "at your first real job"}},
      {"comfort_thing",
       {"comfort food", "comfort movie", "album", "walk route", "snack", "tv show", "hobby"}},
      {"hypothetical",
       {"master any skill overnight", "relive one day", "have any job for a year",
        "live anywhere for free", "talk to your younger self for five minutes",
        "delete one app from existence"}},
      {"opinion_adj", {"weird", "petty", "small", "stupid", "food related", "tech related"}},
      {"superlative", {"best", "worst", "most useful", "most underrated", "most overrated"}},
      {"ask_anecdote",
       {"a tiny ramen place in a train station that I still think about",
        "a used bike I bought for {price} bucks that still runs perfectly",
        "my {relative} telling me to always carry a spare charger",
        "a road trip where the car broke down and it was still the best week ever",
        "a concert in the pouring rain where nobody cared",
        "learning to cook three dishes really well instead of twenty badly",
        "a cheap pair of noise cancelling headphones", "a {price} dollar rice cooker",
        "quitting a job I hated without a plan and somehow landing somewhere better",
        "a night hike to watch the sunrise from the top"}},
      {"ask_reason",
       {"my {relative} and I have been arguing about it all week", "I'm bored at work and curious",
        "I need ideas for a birthday gift", "I just realised I've never thought about it",
        "we were talking about it at lunch"}},
      // --- running ------------------------------------------------------------------------
      {"distance", {"5k", "10k", "half marathon", "marathon", "15k", "trail 25k", "ultra"}},
      {"run_suffix",
       {" without stopping!", ", legs are jelly", " and I can't stop smiling",
        " after {num} months of couch to 5k", " in the rain", " at age {age}",
        " and it was miserable but I finished"}},
      {"shoe",
       {"Pegasus", "Clifton", "Ghost", "Novablast", "Kinvara", "Endorphin Speed", "Cloudmonster"}},
      {"pace", {"5:10", "5:45", "6:00", "6:30", "7:15", "4:50", "5:30"}},
      {"goal_time",
       {"25 minutes", "30 minutes", "an hour", "two hours", "four hours", "50 minutes"}},
      {"run_problem",
       {"side stitches", "shin splints", "running in the heat", "getting out the door early",
        "pacing the first few km", "sore calves", "boredom on long runs"}},
      {"run_when", {"in winter", "after work", "when it's dark at 5pm", "on long runs", "alone"}},
      {"injury", {"knee pain", "shin splints", "plantar fasciitis", "IT band", "achilles"}},
      // --- cpp ----------------------------------------------------------------------------
      {"std_behaviour",
       {"vector reallocate when I push_back in a loop", "move not actually move anything",
        "map keep its keys sorted", "optional take extra space",
        "string_view dangle after the function returns", "unordered_map rehash so often",
        "shared_ptr cost more than unique_ptr",
        "variant need monostate to be default constructible",
        "thread call terminate when it goes out of scope", "sort need a strict weak ordering"}},
      {"cpp_feature",
       {"coroutines", "modules", "concepts", "std::ranges", "std::format", "std::expected",
        "constexpr everything", "std::span", "designated initializers"}},
      {"compiler", {"GCC 12", "GCC 13", "Clang 16", "Clang 17", "MSVC 2022"}},
      {"cpp_flags", {"-O2", "-O3 -march=native", "-O0 -g", "-std=c++20 -Wall -Wextra"}},
      {"cpp_symptom",
       {"then it segfaults", "the timing jumps around", "it prints garbage",
        "valgrind reports an invalid read", "it's ten times slower than Python somehow"}},
      {"cpp_problem",
       {"dangling references", "template bloat", "long compile times", "ODR violations",
        "iterator invalidation", "static initialization order issues", "false sharing"}},
      {"cpp_context",
       {"returning from a lambda", "storing views in a struct", "using header-only libraries",
        "writing a thread pool", "mixing shared libraries", "porting old C code"}},
      {"other_lang", {"Python", "Java", "C#", "JavaScript", "Rust", "Go"}},
      {"hot_spot", {"malloc", "the hash function", "std::string copies", "a mutex", "iostream"}},
      {"cpp_topic",
       {"object lifetime", "value categories", "the memory model", "name lookup",
        "template argument deduction"}},
      // --- Cooking ------------------------------------------------------------------------
      {"dish",
       {"lasagna", "sourdough", "carbonara", "chicken curry", "banana bread", "pad thai", "risotto",
        "chili", "focaccia", "ramen", "shakshuka", "pot roast", "dumplings"}},
      {"dish_result", {"gummy", "bland", "way too salty", "burnt on the bottom", "dry", "soupy"}},
      {"ingredient",
       {"garlic", "shallots", "buttermilk", "rice", "spinach", "chickpeas", "parmesan", "leeks",
        "sour cream", "cilantro", "ginger", "mushrooms"}},
      {"gadget",
       {"stand mixer", "pressure cooker", "carbon steel wok", "sous vide", "mandoline",
        "dutch oven", "food processor"}},
      {"temp", {"180", "200", "220", "160", "250"}},
      {"acid", {"lemon juice", "vinegar", "lime", "white wine"}},
      {"side", {"a green salad", "garlic bread", "roasted potatoes", "steamed rice", "coleslaw"}},
      {"technique",
       {"blooming the spices in oil", "a dry brine overnight", "toasting the rice first",
        "finishing with cold butter", "resting the dough longer", "salting the eggplant"}},
      // --- books --------------------------------------------------------------------------
      {"genre",
       {"fantasy", "sci-fi", "mystery", "literary fiction", "horror", "historical fiction",
        "non-fiction", "romance", "thriller"}},
      {"book_kind",
       {"my first {genre} novel in years", "a {num}-book {genre} series",
        "a 900-page {genre} doorstopper", "the {genre} book everyone on here recommends",
        "a short {genre} novella", "a {genre} book my {relative} lent me"}},
      {"book_effect",
       {"made you cry on public transport", "you couldn't put down",
        "changed how you see the world", "you only appreciated on a reread",
        "have a perfect last line"}},
      {"book_premise",
       {"a slow-burn mystery set on an island", "a generation ship where nobody remembers Earth",
        "a small-town horror story told through letters", "a heist in a floating city",
        "a quiet book about a lighthouse keeper"}},
      {"reading_how",
       {"in two sittings", "on my commute over a month", "as an audiobook while running",
        "out loud to my partner", "on a long flight", "mostly at 2am, unfortunately"}},
      // --- datascience --------------------------------------------------------------------
      {"ds_concept",
       {"p-values", "confidence intervals", "overfitting", "feature importance", "A/B test results",
        "why the model is wrong sometimes"}},
      {"ds_tool",
       {"pandas", "polars", "Spark", "dbt", "scikit-learn", "XGBoost", "PyTorch", "DuckDB"}},
      {"ds_task",
       {"a 50GB csv", "time series forecasting", "churn prediction", "feature pipelines",
        "quick exploratory analysis"}},
      {"ds_technique",
       {"regularization", "cross validation", "target encoding", "more data", "a simpler model",
        "class weights", "early stopping"}},
      {"ds_ask",
       {"a dashboard nobody opens", "AI in every slide", "predictions with 100% accuracy",
        "results by Friday"}},
      // --- personalfinance -----------------------------------------------------------------
      {"debt", {"credit card debt", "student loans", "a car loan", "medical bills"}},
      {"pf_choice",
       {"pay off my car early", "max out my 401k", "build a bigger emergency fund",
        "invest in index funds", "buy a house next year", "refinance"}},
      {"pf_tip",
       {"check your credit report", "automate your savings", "look at your subscriptions",
        "read the wiki first", "get the employer match"}},
      // --- gardening ----------------------------------------------------------------------
      {"plant",
       {"tomatoes", "basil", "peppers", "lavender", "zucchini", "strawberries", "sunflowers",
        "monstera", "hydrangeas", "blueberries"}},
      {"plant_event",
       {"produced its first fruit", "survived the winter", "started flowering", "doubled in size",
        "came back from the dead"}},
      {"color", {"yellow", "brown", "pale", "spotty", "purple"}},
      {"fertilizer", {"compost tea", "a balanced fertilizer", "coffee grounds", "worm castings"}},
      // --- messages -----------------------------------------------------------------------
      {"dm_ask",
       {"Do you still have the link?", "Would you mind sharing the details?",
        "Did you ever figure it out?", "Can I ask how long it took you?",
        "Is it okay if I send you a couple of questions?", "Any chance you could post an update?"}},
      // --- X ------------------------------------------------------------------------------
      {"tweet_did",
       {"finished a {distance} in the rain", "shipped a feature that took {num} weeks",
        "burned the {dish} again", "read {num} chapters on the train",
        "spent {num} hours debugging a missing semicolon", "repotted every plant in the flat",
        "finally cancelled {num} subscriptions", "made {dish} from scratch",
        "deleted {num} thousand lines of dead code", "got my first pull request merged"}},
      {"tweet_reaction",
       {"No regrets.", "Send help.", "Honestly proud of this one.", "Never again.",
        "Ten out of ten would recommend.", "Why am I like this.", "Growth.", "We move.",
        "Small wins count.", "Sleeping for a week now."}},
      {"hot_take",
       {"meetings should have a price tag", "tabs are fine actually", "breakfast is overrated",
        "the sequel was better", "most dashboards could be an email", "audiobooks count as reading",
        "pineapple belongs on pizza", "rest days are training days too",
        "readable code beats clever code"}},
      {"mood",
       {"coffee first, questions later", "pretending the inbox doesn't exist",
        "one more chapter, then bed", "running on vibes", "cautiously optimistic"}},
      {"anyone_else",
       {"open the fridge hoping something new appeared", "rewrite a tweet {num} times",
        "start a book and immediately want to reread it", "feel weirdly productive on {weekday}s",
        "keep a spreadsheet for everything"}},
      {"reminder",
       {"drinking water is a personality now", "your side project doesn't have to make money",
        "it's okay to log off", "the weather app lies", "you don't have to reply immediately"}},
      {"tweet_project",
       {"learning Spanish", "couch to 5k", "the side project", "writing every morning", "no sugar",
        "learning {other_lang}", "the garden redesign", "reading before bed", "cooking at home",
        "the {distance} plan"}},
      {"progress",
       {"still going", "missed a day but back at it", "harder than I thought",
        "starting to see a difference", "my {relative} joined me", "almost gave up {time_ago}",
        "{pct}% done, allegedly", "the hardest part is starting"}},
      {"relative_tweet",
       {"discovered voice messages", "beat me at chess again", "asked me to fix the wifi",
        "sent me a {num} minute voice note", "started a podcast", "got really into {plant}",
        "made {dish} and it was better than mine"}},
      {"weekend_did",
       {"fixing a bug that turned out to be a typo", "reorganising the bookshelf by colour",
        "on a {num} hour hike", "batch cooking {dish}", "repotting {plant}", "reading in the park",
        "doing absolutely nothing, no notes"}},
      {"hashtag",
       {"#running", "#cpp", "#cooking", "#booktwitter", "#datascience", "#gardening",
        "#MondayMotivation", "#100DaysOfCode", "#amreading", "#personalfinance"}},
      // --- Spotify ------------------------------------------------------------------------
      {"track_adj",
       {"Midnight", "Golden", "Electric", "Quiet", "Broken", "Paper", "Neon", "Silver", "Velvet",
        "Wild", "Lonely", "Summer", "Hollow", "Northern"}},
      {"track_noun",
       {"Highway", "Lanterns", "Hearts", "Rain", "Satellites", "Coastline", "Fever", "Echoes",
        "Window", "Parade", "Daydream", "Static", "Harbor", "Signals"}},
      {"artist",
       {"Velmira", "The Kastor Lines", "Dorn Ash", "Quiet Fenwick", "Marisol Tu", "Harbor Lights",
        "North of Nowhere", "The Paper Kites Club", "Juno Vale", "Static Bloom", "Lowland Choir",
        "Amber Reyes Trio"}},
      {"plain",
       {"honestly", "though", "today", "again", "lately", "anyway", "too", "overall", "maybe",
        "now"}},
  };
  return kLists;
}

// Last item picked per list within one text, so "{ds_tool} or {ds_tool}" names two tools.
using Picked = std::map<std::string_view, size_t>;

std::string expand(std::string_view tpl, Rng& rng, Picked& picked, int depth = 0) {
  std::string out;
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{' || depth > 8) {
      out += tpl[i];
      continue;
    }
    size_t level = 1, j = i + 1;
    std::vector<size_t> bars;
    for (; j < tpl.size() && level > 0; ++j) {
      if (tpl[j] == '{') ++level;
      if (tpl[j] == '}') --level;
      if (tpl[j] == '|' && level == 1) bars.push_back(j);
    }
    std::string_view inner = tpl.substr(i + 1, j - i - 2);
    if (!bars.empty()) {
      std::vector<std::string_view> alts;
      size_t start = i + 1;
      for (size_t b : bars) {
        alts.push_back(tpl.substr(start, b - start));
        start = b + 1;
      }
      alts.push_back(tpl.substr(start, j - 1 - start));
      out += expand(alts[rng.below(alts.size())], rng, picked, depth + 1);
    } else if (auto it = lists().find(inner); it == lists().end()) {
      out += inner;
    } else {
      const Items& items = it->second;
      size_t k = rng.below(items.size());
      auto last = picked.find(it->first);
      if (last != picked.end() && last->second == k && items.size() > 1) {
        k = (k + 1 + rng.below(items.size() - 1)) % items.size();
      }
      picked[it->first] = k;
      out += expand(items[k], rng, picked, depth + 1);
    }
    i = j - 1;
  }
  return out;
}

std::string expand(std::string_view tpl, Rng& rng) {
  Picked picked;
  return expand(tpl, rng, picked);
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// One sentence: a template expanded, its first letter capitalised ("{plant} are ..." starts
// with a lower-case filler).
std::string pick(const Items& templates, Rng& rng) {
  return capitalised(expand(templates[rng.below(templates.size())], rng));
}

// Picks `k` different templates and joins their expansions with spaces.
std::string join_some(const Items& templates, size_t k, Rng& rng) {
  std::vector<size_t> order(templates.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::string out;
  for (size_t n = 0; n < k && n < order.size(); ++n) {
    std::swap(order[n], order[n + rng.below(order.size() - n)]);
    if (n) out += ' ';
    out += capitalised(expand(templates[order[n]], rng));
  }
  return out;
}

struct Subreddit {
  std::string_view name;
  Items titles, body, comments;
  std::string_view dm_topic;  // what a private message about a post of this subreddit asks about
};

const std::vector<Subreddit>& subreddits() {
  static const std::vector<Subreddit> kSubs = {
      {"AskReddit",
       {"What's the best {thing_done}?", "What's a {opinion_adj} hill you're willing to die on?",
        "People who {habit}, why?", "What's something you only learned {learned_when}?",
        "What's the {superlative} thing you've bought for under ${price}?",
        "What's a skill everyone should learn before {age}?",
        "What's your go-to {comfort_thing} after a bad day?",
        "Serious: what's the {superlative} advice you've ever received?",
        "If you could {hypothetical}, what would you do?", "What's the {superlative} {thing_done}?",
        "Older redditors, what do you miss about {year}?"},
       {"Mine was {ask_anecdote}.", "Asking because {ask_reason}.", "I'll start: {ask_anecdote}.",
        "Curious what everyone thinks.", "No wrong answers here.",
        "My {relative} says {ask_anecdote}, which I don't buy.",
        "This has been on my mind since {weekday}.", "Bonus points for a story."},
       {"For me it was {ask_anecdote}.", "Not gonna lie, {ask_anecdote}.",
        "Easy. {ask_anecdote}, no contest.", "My {relative} would say {ask_anecdote}.",
        "I'm {age} and I only found out {time_ago}.", "People who {habit} are a mystery to me too.",
        "Probably {ask_anecdote}. It still makes me smile.",
        "Mine has to be the {thing_done}: {ask_anecdote}.",
        "Back in {year} my {relative} {relative_did}."},
       "your story about {ask_anecdote}"},
      {"running",
       {"Ran my first {distance} today{run_suffix}", "How do you stay motivated {run_when}?",
        "{shoe} or {shoe} for {distance} training?", "Finally broke {goal_time} in the {distance}!",
        "Dealing with {injury} after upping my mileage, what am I doing wrong?",
        "Weekly mileage went from {num} to {num}0 km, too much?",
        "Race report: {weather} {distance}, {pace} pace, no regrets", "Tips for {run_problem}?"},
       {"Started running {time_ago} and could barely do {num} minutes.",
        "My pace was around {pace} per km, which I'm happy with.",
        "Kept my heart rate in zone {num} for most of it.",
        "The last {num} km were brutal but the crowd helped a lot.",
        "Currently doing {num} runs a week, mostly easy.", "Any tips for {run_problem}?",
        "Weather was {weather} the whole time.", "I'm {age} and never thought I'd be a runner."},
       {"Congrats! The first {distance} is always special.",
        "Slow down your easy runs, seriously, {pace} is probably too fast.",
        "Sounds like you ramped up too fast, try the 10% rule.",
        "The {shoe} saved my knees, might be worth a try.",
        "Strength training twice a week fixed my {injury}.", "Great pace for a first {distance}!",
        "For {run_problem}, what helped me was running {run_when} with a friend.",
        "I ran my first {distance} at {age} and it's been {num} years of this addiction.",
        "I did my first {distance} in {weather} weather at {pace} pace and loved it.",
        "Took me {num} months to get from 5k to {distance}, be patient.",
        "Try running {run_when}, it fixed my motivation."},
       "your {distance} training plan"},
      {"cpp",
       {"Why does std::{std_behaviour}?", "Is {cpp_feature} worth using in production yet?",
        "How do I avoid {cpp_problem} when {cpp_context}?",
        "Learning C++ after {num} years of {other_lang}, any advice?",
        "{cpp_feature} vs {cpp_feature}: when do you reach for which?",
        "Profiler says {pct}% of the time is in {hot_spot}, now what?"},
       {"I'm compiling with {compiler} and {cpp_flags}.",
        "Minimal example: the loop runs {num} times and {cpp_symptom}.",
        "I read cppreference but the part about {cpp_topic} lost me.",
        "Profiling shows {pct}% of the time in {hot_spot}.",
        "This is for a side project, not work, so I can use {cpp_feature}.",
        "Coming from {other_lang}, this surprised me."},
       {"You're invalidating the iterator, take a copy of the index instead.",
        "Read up on {cpp_topic}, it explains exactly this.",
        "Call reserve() first and the reallocations go away.",
        "That's undefined behaviour, the compiler is allowed to do anything.",
        "Turn on -fsanitize=address and it will tell you exactly where.",
        "std::move is just a cast, it doesn't move anything by itself.",
        "We use {cpp_feature} with {compiler} in production and it's been fine.",
        "{hot_spot} showing up in the profile usually means too many allocations.",
        "{compiler} with {cpp_flags} does the same for me: {cpp_symptom}.",
        "We had {cpp_problem} for {num} years until we switched to {cpp_feature}."},
       "that {cpp_feature} question"},
      {"Cooking",
       {"My {dish} came out {dish_result}, what did I do wrong?",
        "Made {dish} from scratch for the first time!", "What's your secret ingredient for {dish}?",
        "Best way to use up leftover {ingredient}?", "Is a {gadget} worth it for a home cook?",
        "Weeknight {dish} that doesn't take {num} hours?"},
       {"I followed the recipe exactly but used {ingredient} instead of {ingredient}.",
        "Cooked it at {temp} degrees for {num}0 minutes.",
        "My {relative} used to make this every {weekday}.",
        "Served it with {side} and everyone asked for seconds.",
        "The flavour was great but the texture was {dish_result}.",
        "I've made it {num} times now and it keeps getting better."},
       {"Salt your pasta water like the sea.",
        "Add a splash of {acid} at the end, it brightens everything.",
        "Your pan wasn't hot enough, let it preheat longer.",
        "Brown the {ingredient} first, it makes a huge difference.",
        "Try {technique}, it changed my {dish} forever.", "That looks amazing, recipe please?",
        "MSG is the answer. It's always MSG.", "A {gadget} is overkill, a good knife matters more.",
        "I make {dish} every {weekday}, the trick is {technique}.",
        "Swap the {ingredient} for {ingredient}, trust me.",
        "{temp} degrees is too hot for {dish}, go lower and slower."},
       "the {dish} recipe"},
      {"books",
       {"Just finished {book_kind} and I can't stop thinking about it", "Books that {book_effect}?",
        "What are you reading this {weekday}?",
        "Is it worth pushing through a slow first {num} chapters?",
        "Recommend me a {genre} book like {book_premise}",
        "Reading goal update: {num}0 books down this year"},
       {"The middle dragged a bit but the last {num} chapters were incredible.",
        "I read it {reading_how}.", "No spoilers please, I'm only on chapter {num}.",
        "The premise is {book_premise}, which sounded odd at first.",
        "My {relative} recommended it {time_ago}.",
        "I usually read {genre}, so this was new for me."},
       {"Adding this to my TBR, thanks!", "The ending wrecked me too.",
        "Try the audiobook, the narrator is fantastic.",
        "If you liked that, you'll love {book_premise}.",
        "I DNF'd it at {pct}%, maybe I should give it another shot.",
        "I read it {reading_how} and it stuck with me for weeks.",
        "Anything {genre} with {book_premise} is an instant buy for me.",
        "My {relative} gave me a {genre} book like that for my birthday.",
        "{num} chapters in and I'm hooked."},
       "the {genre} recommendation"},
      {"datascience",
       {"How do you explain {ds_concept} to non-technical stakeholders?",
        "{ds_tool} or {ds_tool} for {ds_task}?",
        "Got my first data scientist job after {num} months of applying",
        "Is {ds_tool} still worth learning in {year}?",
        "My model has {pct}% accuracy on train but much worse on test"},
       {"The dataset has about {big_num} rows and {num}0 features.",
        "We're using {ds_tool} in production right now.", "My manager keeps asking for {ds_ask}.",
        "I tried {ds_technique} but it barely moved the metric.",
        "Background: {num} years as an analyst before this."},
       {"Sounds like overfitting, try {ds_technique}.",
        "Honestly {pct}% of the job is cleaning data.",
        "Start with a simple baseline before anything fancy.",
        "SQL will get you further than deep learning.",
        "Check for leakage between your train and test split.",
        "We moved from {ds_tool} to {ds_tool} and never looked back.",
        "{ds_tool} handles {ds_task} fine up to about {big_num} rows.",
        "We tried {ds_technique} for {ds_task} and it helped about {pct}%.",
        "Explain {ds_concept} with a picture, not a formula."},
       "the {ds_tool} tutorial"},
      {"personalfinance",
       {"Just paid off ${amount} in {debt}!", "Should I {pf_choice} or {pf_choice}?",
        "{age} with ${amount} saved, what should I do next?",
        "How big should an emergency fund really be?"},
       {"I make about ${amount} a year after tax.", "No other debt besides {debt}.",
        "My {relative} says I should {pf_choice}.", "It took {num} years of budgeting.",
        "Employer matches up to {num}%."},
       {"Emergency fund first, then the match, then {pf_choice}.", "Don't forget to {pf_tip}.",
        "Congrats, that's a huge milestone!",
        "Check the prime directive in the wiki, it answers this.",
        "Personally I'd {pf_choice}, but it depends on the interest rate.",
        "I paid off ${amount} of {debt} in {num} years doing exactly this.",
        "At {age} I wish I had started to {pf_choice} sooner."},
       "paying off {debt}"},
      {"gardening",
       {"My {plant} finally {plant_event}!", "Why are the leaves on my {plant} turning {color}?",
        "First year growing {plant}, any tips?", "Is it too late to plant {plant} in {month}?"},
       {"They get about {num} hours of sun a day.", "I water them every {num} days.",
        "Planted them in {month} from seed.", "The soil is mostly clay, amended with compost.",
        "My {relative} gave me the cutting {time_ago}."},
       {"Sounds like overwatering, let the soil dry out between waterings.",
        "More sun, definitely.", "Add some compost and mulch, they'll thank you.",
        "{plant} are heavy feeders, try {fertilizer}.",
        "Mine did the same in {month} and bounced back.",
        "My {plant} did that in {month}, {fertilizer} fixed it.",
        "{plant} and {plant} grow great together in my garden.",
        "Give them {num} hours of sun and water every {num} days."},
       "your {plant} setup"},
  };
  return kSubs;
}

}  // namespace

size_t reddit_subreddit_count() { return subreddits().size(); }
std::string_view reddit_subreddit(size_t i) { return subreddits()[i].name; }

std::string reddit_post_title(Rng& rng, size_t sub) { return pick(subreddits()[sub].titles, rng); }

std::string reddit_post_body(Rng& rng, size_t sub) {
  // A personal sentence besides the topical ones keeps bodies of one subreddit apart.
  std::string body = join_some(subreddits()[sub].body, 1 + rng.below(3), rng);
  body += " " + expand("{experience}", rng);
  if (rng.below(3) == 0) body += " " + expand("{post_tail}", rng);
  if (rng.below(6) == 0) body += "\n\n" + expand("{edit}", rng);
  return body;
}

std::string reddit_comment(Rng& rng, size_t sub) {
  const Subreddit& s = subreddits()[sub];
  std::string out;
  if (rng.below(3) == 0) out = expand("{reaction} ", rng);
  // A personal sentence after the topical ones: a topical sentence alone is often a stock phrase
  // that many users write.
  out += join_some(s.comments, 1 + rng.below(2), rng);
  out += " " + expand("{experience}", rng);
  if (rng.below(4) == 0) out += " " + expand("{closer}", rng);
  return out;
}

std::string reddit_message(Rng& rng, size_t sub, bool sent) {
  const Subreddit& s = subreddits()[sub];
  const std::string about = " r/" + std::string(s.name) + " about " + expand(s.dm_topic, rng);
  // The part after `about` is expanded before the part before it, each in a statement of its
  // own: the order the fixtures' texts were recorded in (by g++ from one expression whose
  // operands are unsequenced).
  std::string out;
  if (sent) {
    const std::string ask = expand(". {dm_ask} {experience}", rng);
    out = expand(
              "{Hey|Hi|Hey there|Hello}! {I saw your post in|Quick question about your comment "
              "in|Following up on our chat in}",
              rng) +
          about + ask;
  } else {
    const std::string ask = expand(". {experience} {dm_ask}", rng);
    out = expand(
              "{Hi|Hello|Hey}, {I read your post in|you replied to me in|I found your comment "
              "in}",
              rng) +
          about + ask;
  }
  if (rng.below(2) == 0) out += " " + pick(s.body, rng);
  return out + expand(" {Thanks!|Cheers.|Thanks in advance.|No rush at all.|Take care.}", rng);
}

std::string reddit_message_subject(Rng& rng, size_t sub) {
  // The topic first (see reddit_message).
  const std::string topic = expand(subreddits()[sub].dm_topic, rng);
  return expand("{re: |Question about |Thanks for |}", rng) + topic;
}

std::string tweet(Rng& rng) {
  static const Items kTweets = {
      "Just {tweet_did}. {tweet_reaction}",
      "Hot take: {hot_take}.",
      "{weekday} mood: {mood}.",
      "Anyone else {anyone_else}?",
      "Reminder that {reminder}.",
      "{time_ago} I {tweet_did}. {tweet_reaction}",
      "Today I learned that {lesson}.",
      "Day {num} of {tweet_project}: {progress}.",
      "My {relative} just {relative_tweet}.",
      "Unpopular opinion: {hot_take}.",
      "Currently reading {book_kind}, {reading_how}.",
      "The {dish} I made {time_ago} came out {dish_result}. {tweet_reaction}",
      "Spent {weekday} {weekend_did}.",
      "Debugging tip: when {cpp_problem} bite you, read up on {cpp_topic} first.",
      "Ran {num} km at {pace} pace, {weather} out. {tweet_reaction}",
  };
  std::string out = join_some(kTweets, 2 + rng.below(2), rng);
  if (rng.below(2) == 0) out += " " + expand("{experience}", rng);
  if (rng.below(2) == 0) out += " " + expand("{hashtag}", rng);
  return out;
}

std::string plain_word(Rng& rng) { return expand("{plain}", rng); }
std::string track_name(Rng& rng) {
  return expand(
      "{{track_adj} {track_noun}|{track_noun}|{track_adj} {track_noun} "
      "{(Live)|(Remastered)|(Acoustic)|Part II}}",
      rng);
}
std::string album_name(Rng& rng) {
  return expand("{{track_adj} {track_noun}|{track_noun} {Sessions|Tapes|Vol. {num}}}", rng);
}
std::string artist_name(Rng& rng) { return expand("{artist}", rng); }

}  // namespace datadao::testkit::text
