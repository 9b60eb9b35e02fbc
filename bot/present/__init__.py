"""Worker-side jobs: parse the user's text, run the solver, and present the result as an Answer.

Every public function here takes plain strings/numbers, runs in a worker process, and returns an
``Answer`` (picklable): the formatting layer between pure math and the chat reply.
"""
