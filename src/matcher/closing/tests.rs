use super::*;

fn read(raw: &str) -> Option<(Verdict, &str)> {
    closing_verdict(raw, &Lexicon::english())
}

/// The verdict `raw`'s closing passes, without what it judges.
fn verdict_of(raw: &str) -> Option<Verdict> {
    read(raw).map(|(verdict, _)| verdict)
}

#[test]
fn a_last_sentence_that_is_a_verdict_judges_the_rest() {
    let claim = "Trump says mail-in voting means massive fraud";
    for (closing, verdict) in [
        ("He's wrong.", Verdict::Rejects),
        ("FALSE!!!", Verdict::Rejects),
        ("N0t tru3.", Verdict::Rejects),
        ("Wrong, wrong, wrong.", Verdict::Rejects),
        ("No, it isn't.", Verdict::Rejects),
        ("They aren’t.", Verdict::Rejects),
        ("He is right.", Verdict::Affirms),
        ("Exactly!", Verdict::Affirms),
        ("Es mentira.", Verdict::Rejects),
        ("Tiene razón.", Verdict::Affirms),
        (
            "Correct, and nobody has produced one since.",
            Verdict::Affirms,
        ),
        ("It's not, and every audit says so.", Verdict::Rejects),
        ("Totally made up.", Verdict::Rejects),
        ("Qué va, es un bulo.", Verdict::Rejects),
        ("He's not wrong.", Verdict::Affirms),
        ("That makes no sense.", Verdict::Rejects),
        ("That's no lie.", Verdict::Affirms),
    ] {
        let post = format!("{claim}. {closing}");
        assert_eq!(
            read(&post),
            Some((verdict, &post[..claim.len() + 1])),
            "{post}"
        );
    }
    let quoted = format!("Viral tweet: \"{claim}.\" Debunked.");
    assert_eq!(verdict_of(&quoted), Some(Verdict::Rejects));
    let capitals = "Trump says mail-in voting means massive FRAUD. He's wrong.";
    assert_eq!(verdict_of(capitals), Some(Verdict::Rejects));
    let lines = format!("{claim}\nfalse");
    assert_eq!(read(&lines), Some((Verdict::Rejects, claim)));
    // Idioms, read whole; somebody addressed; agreement in mockery.
    for (closing, verdict) in [
        ("Yeah, right.", Verdict::Rejects),
        ("Couldn't agree more.", Verdict::Affirms),
        ("Not true, not even close.", Verdict::Rejects),
        ("Hear, hear!", Verdict::Affirms),
        ("Get real, Denise.", Verdict::Rejects),
        ("Nice try, pal.", Verdict::Rejects),
        ("Sure, and I'm the Pope.", Verdict::Rejects),
        (
            "Said no one who has ever counted a ballot.",
            Verdict::Rejects,
        ),
        ("Says the guy who votes by mail.", Verdict::Rejects),
        ("She's naive.", Verdict::Rejects),
        ("Qué ingenuos.", Verdict::Rejects),
        ("Whatever helps you sleep.", Verdict::Rejects),
        ("No tiene ni pies ni cabeza.", Verdict::Rejects),
        ("Y yo nací ayer.", Verdict::Rejects),
        ("Finally someone says it.", Verdict::Affirms),
        ("Dad's never wrong.", Verdict::Affirms),
        ("That's exactly what they'd say.", Verdict::Rejects),
        ("Y'all need a civics class.", Verdict::Rejects),
        ("Fine for who??", Verdict::Rejects),
        ("Do you really believe that?", Verdict::Rejects),
        ("¿Y usted se lo cree?", Verdict::Rejects),
        ("Numbers don't lie.", Verdict::Affirms),
        ("Ni de broma.", Verdict::Rejects),
        ("Tal cual.", Verdict::Affirms),
        ("Sure it doesn't.", Verdict::Rejects),
        ("Sure there isn't.", Verdict::Rejects),
        ("Sure they are, pal.", Verdict::Rejects),
        ("Sí, claro, y yo soy Batman.", Verdict::Rejects),
        ("Right, and the courts agreed.", Verdict::Affirms),
        ("Yeah, right. 🙄", Verdict::Rejects),
        ("Hardly.", Verdict::Rejects),
        ("Hardly true.", Verdict::Rejects),
        ("Yup, that's a lie.", Verdict::Rejects),
        ("\"Said no one who ever voted.\"", Verdict::Rejects),
        ("Fraud, my foot.", Verdict::Rejects),
        ("Nah bro.", Verdict::Rejects),
        ("Says who?", Verdict::Rejects),
        ("Absolutely not.", Verdict::Rejects),
        ("Massive fraud, my backside.", Verdict::Rejects),
        // Addresses and softeners before the verdict, a retort whose slot takes any words.
        ("Ma'am, with respect, it isn't.", Verdict::Rejects),
        (
            "Oh, Uncle Mike, no, that's not happening.",
            Verdict::Rejects,
        ),
        (
            "Tell that to the three ballots on my doormat for people I've never met.",
            Verdict::Rejects,
        ),
        (
            "I believe her 100%, she's seen it from the inside.",
            Verdict::Affirms,
        ),
    ] {
        let post = format!("{claim}. {closing}");
        assert_eq!(verdict_of(&post), Some(verdict), "{post}");
    }
}

#[test]
fn anything_else_passes_no_verdict() {
    for post in [
        "Trump says mail-in voting means massive fraud.",
        "Trump says mail-in voting means massive fraud. He's wrong?",
        "Trump says mail-in voting means massive fraud. He is wrong about most things.",
        "Mail-in voting is not true voting. It is fraud.",
        "The U.S. count is false",
        "Fraud? False.",
        "Ballots go to registered voters. That's it.",
        "So we're supposed to trust that no foreign government will print ballots? Nope.",
        "Xi would have to forge millions of envelopes. Never.",
        "False.",
        "Trump says mail-in voting means massive fraud. He's wrong?!",
        "Trump says mail-in voting means massive fraud. True, but only in a few cases.",
        "Trump says mail-in voting means massive fraud. True, But Rarely.",
        // A bare "No, …" opens the writer's own words, unless it follows a report.
        "Mail-in voting means massive fraud. No, Texas Democrats.",
        "Trump says mail-in voting means massive fraud. Turnout, my foot.",
        // Words before a comma that are no address leave the sentence none.
        "Trump says mail-in voting means massive fraud. In Ohio, it isn't true voting at all.",
    ] {
        assert_eq!(read(post), None, "{post}");
    }
}

#[test]
fn a_set_phrase_among_words_of_its_own_passes_a_verdict() {
    let claim = "Trump says mail-in voting means massive fraud.";
    for (closing, expected) in [
        ("Cable news fan fiction, as usual.", Verdict::Rejects),
        ("Stellar detective work there, Sherlock.", Verdict::Rejects),
        ("Yep, and I'm the Pope.", Verdict::Rejects),
        ("Dale gets it.", Verdict::Affirms),
        ("There's no way around it.", Verdict::Affirms),
    ] {
        let post = format!("{claim} {closing}");
        assert_eq!(verdict_of(&post), Some(expected), "{post}");
    }
    // Not when a word of its own names it, mocks it, passes it on or points, nor after an
    // opening clause, nor on a phrase of one word.
    for closing in [
        "They call it a conspiracy theory.",
        "But sure, it's a conspiracy theory.",
        "Lo pongo aquí tal cual.",
        "The real threats are hacking and disinformation.",
        "The threat is disinformation, not printing.",
        "Misleading doesn't even begin to cover it.",
        "No way November is honest.",
    ] {
        let post = format!("{claim} {closing}");
        assert_eq!(read(&post), None, "{post}");
    }
}

#[test]
fn disputes_tags_mock_agreement_and_echoes_without_a_comma_pass_a_verdict() {
    let claim = "Trump says mail-in voting means massive fraud.";
    for closing in [
        "In what universe?",
        "Paranoid much?",
        "Convenient explanation, isn't it?",
        "Routine theft, sure.",
        "Lol, sure they would.",
        "Oh totally, and they're flying them in by carrier pigeon.",
        "Nah, that's just the mail ballots getting counted.",
        "Fraud my foot.",
        "Love you, Aunt Deb, but that's hogwash.",
        "And you actually believe them?",
        "Says who, exactly?",
        "Debunked by whom, exactly?",
        "According to whom?",
    ] {
        let post = format!("{claim} {closing}");
        assert_eq!(verdict_of(&post), Some(Verdict::Rejects), "{post}");
    }
    // Not a bare "Nah, …" after the writer's own words, nor a phrase after words that echo
    // nothing, nor a tag on what is no verdict.
    for post in [
        "Mail-in voting means massive fraud. Nah, the numbers are made up.",
        "Trump says mail-in voting means massive fraud. Turnout my foot.",
        "Trump says mail-in voting means massive fraud. It's normal, right?",
    ] {
        assert_eq!(read(post), None, "{post}");
    }
}

#[test]
fn a_verdict_may_answer_a_question_that_puts_a_proposition() {
    let led = "Lots of panic in the group chat. Does voting by mail lead to massive fraud?";
    let rare = "Officials keep saying mail voting fraud is vanishingly rare.";
    let rumour = "The rumor: Dems mailed 50 million ballots nobody asked for.";
    let aunt = "Mi tía dice que el voto por correo es puro fraude.";
    // What the verdict judges: the question, with a sentence leading to it; or what a
    // question that echoes a word of it, or asks whether it is true, asks about.
    for (post, judged) in [
        (
            "Is mail voting rigged? Nah.".to_owned(),
            "Is mail voting rigged?",
        ),
        (
            "¿Boletas falsificadas en Rusia para Pensilvania? Ni de broma.".to_owned(),
            "¿Boletas falsificadas en Rusia para Pensilvania?",
        ),
        (
            "A lead that flips after Tuesday is proof of theft? Hardly.".to_owned(),
            "A lead that flips after Tuesday is proof of theft?",
        ),
        (format!("{led} Not by a long shot."), led),
        (format!("{rare} Rare? My foot."), rare),
        (format!("{rumour} True? Nowhere near true."), rumour),
        (
            format!("{aunt} ¿Fraude generalizado? Qué va, hombre, son casos aislados."),
            aunt,
        ),
        // A bare "No, …" answers a question.
        (
            "Can they forge our ballots? No, the vendors know every customer.".to_owned(),
            "Can they forge our ballots?",
        ),
        // So does a denial that states when it would hold.
        (format!("{led} Not according to any study ever done."), led),
        (
            "Is mailing everyone a ballot harmless? Not when half the addresses are wrong."
                .to_owned(),
            "Is mailing everyone a ballot harmless?",
        ),
        (
            "¿Hubo fraude masivo por correo? No según los datos del condado.".to_owned(),
            "¿Hubo fraude masivo por correo?",
        ),
    ] {
        assert_eq!(read(&post), Some((Verdict::Rejects, judged)), "{post}");
    }
    assert!(asks_yes_or_no(
        "Will the count be honest?",
        &Lexicon::english()
    ));
    assert!(!asks_yes_or_no(
        "Foreign fake ballots?",
        &Lexicon::english()
    ));
    // A word that asks after a statement, a question asking why, one opening on a
    // negation, one asking to be believed, and mockery answer no proposition.
    for post in [
        "Biden up 40k after a 4am batch. Coincidence? No.",
        "Why would anyone trust mail ballots? Nope.",
        "Isn't it obvious the late ballots were rigged? No.",
        "En Asia te hacen un bolso idéntico, ¿y no van a poder hacer una papeleta? Venga ya.",
        "And we're expected to believe mail voting is secure? Nope.",
        "Ballots showing up at 4 a.m. in Detroit? Sure, Jan.",
        "Mail ballots printed in China? Yeah, right.",
        // A qualified denial after a statement may agree with it, and "like" compares.
        "They never check the signatures. Not when it counts.",
        "Is it normal to count for days after the election? Not like this it isn't.",
    ] {
        assert_eq!(read(post), None, "{post}");
    }
}

/// How many last sentences of the closing fitting sets read as a verdict: 203 of
/// `tuning_closing43`'s 240 and 133 of `tuning_closing43b`'s at stop 45; at stop 52, 217,
/// 170 and 132 of `tuning_closing52`'s (205, 148 and 68 at stop 51).
/// `cargo test --lib verdicts_are_read_in_most_closings -- --nocapture` prints them.
#[test]
fn verdicts_are_read_in_most_closings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (set, floor) in [
        ("tuning_closing43", 217),
        ("tuning_closing43b", 170),
        ("tuning_closing52", 132),
    ] {
        let lines = std::fs::read_to_string(dir.join(format!("{set}.jsonl"))).unwrap();
        let read = (lines.lines())
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|post| read(post["text"].as_str().unwrap()).is_some())
            .count();
        println!(
            "{set}: a verdict in {read} of {} last sentences",
            lines.lines().count()
        );
        assert!(read >= floor, "{set}: {read}");
    }
}

#[test]
fn a_text_splits_into_its_sentences() {
    let text = "Trump says it's 'fraud.' Utah votes by mail, and it's fine! Nonsense";
    assert_eq!(
        sentences(text).collect::<Vec<_>>(),
        [
            "Trump says it's 'fraud.'",
            "Utah votes by mail, and it's fine!",
            "Nonsense"
        ]
    );
    assert_eq!(sentences("The U.S. count").count(), 1);
    // An abbreviation ends none, but "Sure, Jan." does.
    assert_eq!(
        sentences("The 3 a.m. dumps on Nov. 4 were fraud.").count(),
        1
    );
    assert_eq!(
        sentences("Lead gone at 4am? Sure, Jan. #StopTheSteal").count(),
        3
    );
}

#[test]
fn a_verdict_turns_the_reading_of_the_rest() {
    use Stance::*;
    for reported in [true, false] {
        assert_eq!(Verdict::Rejects.on(Neutral, reported), Debunks);
        assert_eq!(Verdict::Rejects.on(Promotes, reported), Debunks);
        assert_eq!(Verdict::Affirms.on(Neutral, reported), Promotes);
        assert_eq!(Verdict::Affirms.on(Promotes, reported), Promotes);
        assert_eq!(Verdict::Affirms.on(Debunks, reported), Debunks);
    }
    assert_eq!(Verdict::Rejects.on(Debunks, true), Promotes);
    assert_eq!(Verdict::Rejects.on(Debunks, false), Debunks);
}

#[test]
fn talking_back_to_one_person_after_a_report_rejects_what_was_reported() {
    let report = "My uncle swears the 4 a.m. vote dump in Michigan proves they stole it";
    for closing in [
        "Sit down, Gary.",
        "Relax, Aunt Linda.",
        "Counting takes time, sir.",
        "No te creas todo, vecino.",
        "Wrong as usual, Uncle Mike.",
    ] {
        let post = format!("{report}. {closing}");
        assert_eq!(verdict_of(&post), Some(Verdict::Rejects), "{post}");
    }
    // Talking back may open on the address, and come before the writer's reasons; it judges
    // the report before it.
    for said in [
        "Uncle Rick, no. You have voted absentee for twenty years.",
        "Prima, eso es pura carreta. Cada boleta va con el código del votante.",
        "You got played, Mike. Somebody sold you a movie plot.",
    ] {
        let post = format!("{report}. {said}");
        assert_eq!(
            read(&post),
            Some((Verdict::Rejects, &post[..report.len() + 1])),
            "{post}"
        );
    }
    // Thanks and praise agree or pass nothing; the audience, a date and an exclamation are
    // nobody talked back to; a question asks; and the writer's own words are not somebody's to
    // talk back to.
    for post in [
        format!("{report}. Thank you, Senator."),
        format!("{report}. Obvio, parce."),
        format!("{report}. Nothing to see here, folks."),
        format!("{report}. Rally was in Tampa, Saturday."),
        format!("{report}. Genius, if you want to lose."),
        format!("{report}. Uncle Rick, really?"),
        "Michigan found 100k ballots overnight. Sit down, Gary.".to_owned(),
    ] {
        assert_ne!(verdict_of(&post), Some(Verdict::Rejects), "{post}");
    }
}

#[test]
fn a_rejecting_closing_names_the_words_it_echoes() {
    let lexicon = Lexicon::english();
    for (post, echoed) in [
        (
            "Officials say a slow count is normal. Normal my foot.",
            "normal",
        ),
        ("Officials say fraud is rare. Rare, my foot.", "rare"),
        ("Officials say fraud is rare. Rare? My foot.", "rare"),
    ] {
        let (_, rest) = read(post).unwrap_or_else(|| panic!("no verdict: {post}"));
        assert_eq!(echoed_words(post, rest, &lexicon), [echoed], "{post}");
    }
    let plain = "Officials say fraud is rare. Nonsense.";
    let (_, rest) = read(plain).unwrap();
    assert!(echoed_words(plain, rest, &lexicon).is_empty());
}

#[test]
fn a_quotation_opened_after_a_colon_ends_its_sentence_before_a_capital() {
    let closing = "Everybody except the data, Rick.";
    for quoted in [
        "\"MAIL VOTING = MASSIVE FRAUD everybody knows it\"",
        "“MAIL VOTING = MASSIVE FRAUD everybody knows it”",
    ] {
        let post = format!("Uncle Rick on FB: {quoted} {closing}");
        assert_eq!(verdict_of(&post), Some(Verdict::Rejects), "{post}");
    }
    // A quotation inside the writer's sentence runs on.
    let inline = "They called it \"safe\" Monday and \"risky\" Tuesday";
    assert_eq!(sentences(inline).count(), 1);
}
