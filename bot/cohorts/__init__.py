"""Study cohorts: groups of learners across a workspace's channels, daily quiz pushes, leaderboards."""
