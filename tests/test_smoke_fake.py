def test_fake_assistant_answers_with_citations(fake_assistant):
    answer = fake_assistant.ask("Un EPCI peut-il appartenir à deux PETR ?")
    assert answer.citations or answer.abstained
