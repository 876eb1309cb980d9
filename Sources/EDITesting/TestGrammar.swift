public import EDISchema

/// A small 856-like grammar with every kind of rule, so each finding kind has a test of its own (validation,
/// acknowledgment and canary tests share it).
public enum TestGrammar {
    public static let text = """
        # A test grammar: not a published guide.
        grammar X12 005010 856 "Test ship notice"
        functional-group SH

        structure
          ST   M 1
          BSN  M 1
          DTM  O 2
          loop HL M >1
            HL   M 1
            TD1  O 2
            REF  O 3
            loop N1 O 2
              N1  M 1
              N3  O 2
            end
          end
          CTT  O 1
          SE   M 1
        end

        segment ST "Transaction Set Header"
          01 143  ID 3/3 M codes 856
          02 329  AN 4/9 M
          03 1705 AN 1/35 O
        end

        segment BSN "Beginning Segment for Ship Notice"
          01 353 ID 2/2  M "Transaction Set Purpose Code" codes 00 05
          02 396 AN 2/30 M
          03 373 DT 8/8  M
          04 337 TM 4/8  M
        end

        segment DTM
          01 374 ID 3/3 M codes 011
          codes 017
          02 373 DT 8/8 X
          03 337 TM 4/8 X
          syntax R0203 C0302
        end

        segment HL
          01 628 AN 1/12 M
          02 734 AN 1/12 O
          03 735 ID 1/2  M codes S O P I
          04 736 ID 1/1  O codes 0 1
        end

        segment TD1
          01 103 AN 3/5  O
          02 80  N0 1/7  X
          03 187 ID 1/2  X
          04 81  R  1/10 X
          syntax P0102 E0304
        end

        segment REF
          01 128  ID 2/3  M codes BM CN
          02 127  AN 1/50 X
          03 352  AN 1/80 X
          04 C040 O
          syntax R0203
        end

        composite C040 "Reference Identifier"
          01 128 ID 2/3  M
          02 127 AN 1/50 M
        end

        segment N1
          01 98 ID 2/3  M codes SF ST
          02 93 AN 1/60 X
          03 66 ID 1/2  X
          04 67 AN 2/80 X repeat 2
          syntax R0204 P0304
        end

        segment N3
          01 166 AN 1/55 M
          02 166 AN 1/55 O
        end

        segment CTT
          01 354 N0 1/6 M
        end

        segment SE
          01 96  N0 1/10 M
          02 329 AN 4/9  M
        end

        total CTT01 count HL
        hierarchy S-O-I S-O-P-I
        """

    public static var grammar: Grammar {
        get throws { try GrammarLoader.parse(text, source: "test.grammar") }
    }

    /// A valid body (between ST and SE).
    public static let body = [
        "BSN*00*SHIP1*20260101*1200",
        "DTM*011*20260101",
        "HL*1**S*1",
        "TD1*CTN*2",
        "REF*BM*BOL1",
        "N1*SF*ACME",
        "N3*ADDR",
        "HL*2*1*O*1",
        "HL*3*2*I*0",
        "CTT*3",
    ]
}
