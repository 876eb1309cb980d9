import Yams

extension PartnerProfile {
    /// The profile in its own YAML format with every default written out, as `edigate partners show` prints it;
    /// secrets appear only as their references. Loading the text gives back an equal profile.
    public func yaml() throws -> String {
        try Yams.serialize(node: self.tree.node, sortKeys: false)
    }

    /// The profile as one JSON object in the same shape, valid against `partner-profile.schema.json`; keys in
    /// the order of the format, secrets only as references.
    public func json() -> String {
        var text = ""
        self.tree.writeJSON(into: &text, indent: "")
        return text + "\n"
    }

    var tree: ProfileTree {
        var top: [(String, ProfileTree)] = [("id", .string(self.id))]
        if let name = self.name { top.append(("name", .string(name))) }
        top.append(("identity", self.identity.tree))
        top.append(
            (
                "ourIdentities",
                .mapping([
                    ("receiver", .list(self.ourIdentities.receiver.map(\.tree))),
                    ("sender", .list(self.ourIdentities.sender.map(\.tree))),
                ])
            )
        )
        var documents: [(String, ProfileTree)] = []
        if !self.documents.inbound.isEmpty { documents.append(("inbound", .list(self.documents.inbound.map(\.tree)))) }
        if !self.documents.outbound.isEmpty {
            documents.append(("outbound", .list(self.documents.outbound.map(\.tree))))
        }
        top.append(("documents", .mapping(documents)))
        top.append(("outboundSyntax", self.outboundSyntax.tree))
        top.append(("acknowledgments", self.acknowledgments.tree))
        let numbers = self.controlNumbers
        top.append(
            (
                "controlNumbers",
                .mapping(ControlNumberLevel.allCases.map { ($0.rawValue, numbers[$0].tree) })
            )
        )
        top.append(("validation", self.validation.tree))
        var endpoints: [(String, ProfileTree)] = []
        if let sftp = self.endpoints.sftp { endpoints.append(("sftp", sftp.tree)) }
        if let as2 = self.endpoints.as2 { endpoints.append(("as2", as2.tree)) }
        top.append(("endpoints", .mapping(endpoints)))
        return .mapping(top)
    }
}

extension Identity {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = []
        if let x12 = self.x12 {
            var fields: [(String, ProfileTree)] = [("qualifier", .string(x12.qualifier)), ("id", .string(x12.id))]
            if !x12.applicationCodes.isEmpty {
                fields.append(("applicationCodes", .list(x12.applicationCodes.map(ProfileTree.string))))
            }
            pairs.append(("x12", .mapping(fields)))
        }
        if let edifact = self.edifact {
            var fields: [(String, ProfileTree)] = [("id", .string(edifact.id))]
            if let qualifier = edifact.qualifier { fields.append(("qualifier", .string(qualifier))) }
            if !edifact.groupCodes.isEmpty {
                fields.append(("groupCodes", .list(edifact.groupCodes.map(ProfileTree.string))))
            }
            pairs.append(("edifact", .mapping(fields)))
        }
        if !self.as2Identifiers.isEmpty { pairs.append(("as2", .list(self.as2Identifiers.map(ProfileTree.string)))) }
        return .mapping(pairs)
    }
}

extension DocumentAgreement {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = [
            ("type", .string(self.type)), ("standard", .string(self.standard.rawValue)),
            ("version", .string(self.version)),
        ]
        if let grammar = self.grammar { pairs.append(("grammar", .string(grammar))) }
        if let map = self.map { pairs.append(("map", .string(map))) }
        var overrides: [(String, ProfileTree)] = []
        if !self.overrides.rules.isEmpty {
            let rules = self.overrides.rules.map { rule in
                ProfileTree.mapping([("field", .string(rule.field)), ("reference", .string(rule.reference))])
            }
            overrides.append(("rules", .list(rules)))
        }
        if let hierarchy = self.overrides.hierarchy {
            overrides.append(("hierarchy", .list(hierarchy.map { .string($0.joined(separator: "-")) })))
        }
        if !overrides.isEmpty { pairs.append(("overrides", .mapping(overrides))) }
        return .mapping(pairs)
    }
}

extension OutboundSyntax {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = []
        if let delimiters = self.delimiters {
            var fields: [(String, ProfileTree)] = [
                ("element", .string(String(delimiters.element))),
                ("component", .string(String(delimiters.component))),
            ]
            if let repetition = delimiters.repetition { fields.append(("repetition", .string(String(repetition)))) }
            fields.append(("segmentTerminator", .string(String(delimiters.segmentTerminator))))
            if let release = delimiters.release { fields.append(("release", .string(String(release)))) }
            pairs.append(("delimiters", .mapping(fields)))
        }
        if let version = self.x12Version { pairs.append(("x12Version", .string(version))) }
        if let syntax = self.edifactSyntax {
            pairs.append(
                (
                    "edifactSyntax",
                    .mapping([("identifier", .string(syntax.identifier)), ("version", .string(syntax.version))])
                )
            )
        }
        if let characterSet = self.characterSet { pairs.append(("characterSet", .string(characterSet.rawValue))) }
        pairs.append(("lineBreak", .string(self.lineBreak.rawValue)))
        pairs.append(("usage", .string(self.usage.rawValue)))
        return .mapping(pairs)
    }
}

extension AcknowledgmentPolicy {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = [
            ("ta1", .string(self.ta1.rawValue)), ("functional", .string(self.functional.rawValue)),
            ("contrl", .boolean(self.contrl)),
        ]
        if !self.expected.isEmpty {
            let expected = self.expected.map { expectation in
                ProfileTree.mapping([
                    ("document", .string(expectation.document)),
                    ("acknowledgment", .string(expectation.acknowledgment.rawValue)),
                    ("within", .string(DurationText.text(expectation.within))),
                ])
            }
            pairs.append(("expect", .list(expected)))
        }
        return .mapping(pairs)
    }
}

extension ControlNumberFormat {
    var tree: ProfileTree {
        .mapping([("start", .integer(self.start)), ("width", .integer(self.width))])
    }
}

extension ValidationPolicy {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = [("default", .string(self.defaultStrictness.rawValue))]
        if !self.rules.isEmpty {
            pairs.append(
                ("rules", .mapping(self.rules.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) }))
            )
        }
        pairs.append(
            (
                "limits",
                .mapping([
                    ("maximumFileSize", .string(Self.sizeText(self.limits.maximumFileSize))),
                    ("maximumSegmentsPerTransaction", .integer(self.limits.maximumSegmentsPerTransaction)),
                    ("maximumFindingsPerTransaction", .integer(self.limits.maximumFindingsPerTransaction)),
                ])
            )
        )
        return .mapping(pairs)
    }

    /// Bytes in the largest unit that divides them: `50MiB`.
    static func sizeText(_ bytes: Int) -> String {
        for (suffix, factor) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes > 0 && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        return "\(bytes)B"
    }
}

extension SFTPEndpoint {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = [
            ("host", .string(self.host)), ("port", .integer(self.port)), ("username", .string(self.username)),
        ]
        if let inbox = self.inbox { pairs.append(("inbox", .string(inbox))) }
        if let outbox = self.outbox { pairs.append(("outbox", .string(outbox))) }
        pairs.append(("pollInterval", .string(DurationText.text(self.pollInterval))))
        pairs.append(("hostKeyFingerprint", .string(self.hostKeyFingerprint)))
        switch self.credential {
        case .password(let reference): pairs.append(("password", .string(reference.description)))
        case .privateKey(let reference): pairs.append(("privateKey", .string(reference.description)))
        }
        return .mapping(pairs)
    }
}

extension AS2Endpoint {
    var tree: ProfileTree {
        var pairs: [(String, ProfileTree)] = [
            ("url", .string(self.url)), ("as2From", .string(self.as2From)), ("as2To", .string(self.as2To)),
            ("signing", .string(self.signing.rawValue)), ("encryption", .string(self.encryption.rawValue)),
        ]
        switch self.mdn {
        case .synchronous:
            pairs.append(("mdn", .string("sync")))
        case .asynchronous(let url):
            pairs.append(("mdn", .string("async")))
            pairs.append(("asyncMDNURL", .string(url)))
        }
        pairs.append(("partnerCertificate", .string(self.partnerCertificate)))
        pairs.append(("ourCertificate", .string(self.ourCertificate)))
        pairs.append(("privateKey", .string(self.privateKey.description)))
        return .mapping(pairs)
    }
}
