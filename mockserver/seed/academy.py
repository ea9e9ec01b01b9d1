"""Course copy that reads like a real academy's, for the worlds sales engineers demo.

A small curated vocabulary (onboarding, compliance, product training, school and university
subjects) combined deterministically by the caller's random source; Faker stays for people,
companies and addresses. Shapes and lengths are those of the text it replaces.
"""

from __future__ import annotations

from collections.abc import Callable

Pick = Callable[[tuple[str, ...]], str]

OPENINGS = (
    "A practical introduction to", "Get hands-on with", "Build confidence in", "A guided tour of",
    "Master the essentials of", "Everything a new team member needs to know about",
    "Short, scenario-based lessons on", "Go beyond the basics of",
)
OUTCOMES = (
    "with real examples from day-to-day work.", "through short videos, readings and a final check.",
    "so you can apply it on the job this week.", "at your own pace, with a certificate at the end.",
    "with exercises you can reuse with your team.", "in under an hour, on any device.",
)
DETAILS = (
    "Each lesson ends with a quick knowledge check.", "Learners who finish earn a completion badge.",
    "Managers can track progress from their dashboard.", "The course is refreshed every quarter.",
    "Downloadable job aids are included for later reference.",
    "No prior experience is needed; a glossary covers the key terms.",
    "Case studies come from support, sales and operations teams.",
    "The final assessment requires a score of 80% to pass.",
)
QUESTIONS = (
    "Which step comes first when a customer reports an outage?",
    "Who should you contact if you suspect a data breach?",
    "What is the maximum value of a gift you may accept from a supplier?",
    "Which report shows completion rates by team?",
    "When must a new hire complete the security awareness course?",
    "What does the status 'pending review' mean for a submission?",
    "Which of these passwords meets the policy?",
    "How long are training records kept?",
    "What should you do before sharing a document outside the company?",
    "Which setting controls who can see a course in the catalog?",
)
ITEM_TITLES = (
    "Key terms and definitions", "Worked example", "Practice questions", "Summary and next steps",
    "Case study", "Check your understanding", "Introduction", "Background reading", "Common mistakes",
    "Putting it into practice", "Quick recap", "Further reading",
)
EXPLANATIONS = (
    "The policy sets this limit so that every decision can be explained to an auditor.",
    "This is covered in the second lesson: look again at the worked example.",
    "Both options sound plausible; only one follows the documented procedure.",
    "The definition in the glossary settles this: re-read it before the next attempt.",
    "Remember the order: identify, contain, report, then review.",
)
FEEDBACK = (
    "The examples were really helpful.", "More practice questions would help.",
    "Clear and well paced.", "The video in lesson three was too long.",
    "I would like a printable summary.", "Great refresher before the exam.",
)
VIDEOS = (
    "Welcome and course overview (video)", "Product tour in five minutes", "Customer story: rollout in 30 days",
    "Expert interview: common pitfalls", "Walkthrough: your first report", "Recorded webinar: what's new this quarter",
)
LESSON_LINES = (
    "In this lesson you will see how the pieces fit together, step by step.",
    "Read the summary, then try the short exercise before moving on.",
    "Watch the walkthrough and note the three questions at the end.",
    "This reference page collects the definitions used throughout the course.",
    "Apply what you learned to the sample scenario and compare with the model answer.",
    "A two-minute recap of the key points, with links to the full policy.",
)


def blurb(pick: Pick, title: str) -> str:
    """One sentence about a course: '<opening> <title> <outcome>'."""
    return f"{pick(OPENINGS)} {title.lower()} {pick(OUTCOMES)}"


def description(pick: Pick, title: str, sentences: int = 3) -> str:
    """A short paragraph: the blurb and ``sentences - 1`` details, none twice."""
    details: list[str] = []
    while len(details) < sentences - 1:
        line = pick(DETAILS)
        if line not in details:
            details.append(line)
    return " ".join([blurb(pick, title), *details])


def lesson_text(pick: Pick) -> str:
    return pick(LESSON_LINES)


def paragraphs(pick: Pick, count: int) -> list[str]:
    """``count`` short paragraphs of lesson text, none twice in a row."""
    found: list[str] = []
    while len(found) < count:
        line = pick(LESSON_LINES)
        if not found or line != found[-1]:
            found.append(line)
    return found
