import Yams

// The profile format, section by section (PartnerProfiles/README.md and partner-profile.schema.json describe the
// same keys). Each reader reports every problem it finds and goes on; optional sections fall back to their
// defaults, which matter only when no problem was found.

extension ProfileReader {
    /// The profile in `root`, and where its id is written; `nil` when any problem was found.
    mutating func profile(_ root: Node) -> (profile: PartnerProfile, idLocation: ProfileError.Location)? {
        let before = self.errors.count
        guard
            let top = self.mapping(
                root,
                "the partner profile",
                required: ["id", "identity", "ourIdentities", "documents"],
                optional: ["name", "outboundSyntax", "acknowledgments", "controlNumbers", "validation", "endpoints"]
            )
        else { return nil }
        let id = self.string(top, "id", .partnerID)
        let name = self.string(top, "name", .name)
        let identity = top["identity"].flatMap { self.identity($0, "identity") }
        let ourIdentities = top["ourIdentities"].flatMap { self.ourIdentities($0) }
        let documents = top["documents"].flatMap { self.documents($0) }
        let outboundSyntax = top["outboundSyntax"].map { self.outboundSyntax($0) } ?? OutboundSyntax()
        let acknowledgments =
            top["acknowledgments"].map { self.acknowledgments($0, outbound: documents?.outbound) }
            ?? AcknowledgmentPolicy()
        let controlNumbers = top["controlNumbers"].map { self.controlNumbers($0) } ?? ControlNumberSettings()
        let validation = top["validation"].map { self.validation($0) } ?? ValidationPolicy()
        let endpoints = top["endpoints"].map { self.endpoints($0) } ?? Endpoints()
        guard self.errors.count == before, let id, let identity, let ourIdentities, let documents,
            let idNode = top["id"]
        else { return nil }
        let profile = PartnerProfile(
            id: id,
            name: name,
            identity: identity,
            ourIdentities: ourIdentities,
            documents: documents,
            outboundSyntax: outboundSyntax,
            acknowledgments: acknowledgments,
            controlNumbers: controlNumbers,
            validation: validation,
            endpoints: endpoints
        )
        return (profile, self.location(idNode))
    }

    // MARK: Identities

    mutating func identity(_ node: Node, _ context: String) -> Identity? {
        guard let mapping = self.mapping(node, context, required: [], optional: ["x12", "edifact", "as2"]) else {
            return nil
        }
        if mapping.values.isEmpty {
            self.report(.missingOneOf(["x12", "edifact", "as2"], in: context, at: self.location(node)))
        }
        let x12 = mapping["x12"].flatMap { self.x12Identity($0, mapping.path("x12")) }
        let edifact = mapping["edifact"].flatMap { self.edifactIdentity($0, mapping.path("edifact")) }
        let as2 = self.list(mapping, "as2") { reader, item, _ in reader.string(item, .as2Identifier) } ?? []
        return Identity(x12: x12, edifact: edifact, as2Identifiers: as2)
    }

    mutating func x12Identity(_ node: Node, _ context: String) -> X12Identity? {
        guard
            let mapping = self.mapping(node, context, required: ["qualifier", "id"], optional: ["applicationCodes"])
        else { return nil }
        let qualifier = self.string(mapping, "qualifier", .x12Qualifier)
        let id = self.string(mapping, "id", .x12ID)
        let codes =
            self.list(mapping, "applicationCodes") { reader, item, _ in reader.string(item, .x12ApplicationCode) }
            ?? []
        guard let qualifier, let id else { return nil }
        return X12Identity(qualifier: qualifier, id: id, applicationCodes: codes)
    }

    mutating func edifactIdentity(_ node: Node, _ context: String) -> EDIFACTIdentity? {
        guard let mapping = self.mapping(node, context, required: ["id"], optional: ["qualifier", "groupCodes"]) else {
            return nil
        }
        let id = self.string(mapping, "id", .edifactID)
        let qualifier = self.string(mapping, "qualifier", .edifactQualifier)
        let codes = self.list(mapping, "groupCodes") { reader, item, _ in reader.string(item, .edifactID) } ?? []
        guard let id else { return nil }
        return EDIFACTIdentity(id: id, qualifier: qualifier, groupCodes: codes)
    }

    mutating func ourIdentities(_ node: Node) -> OurIdentities? {
        guard let mapping = self.mapping(node, "ourIdentities", required: ["receiver", "sender"]) else { return nil }
        let receiver = self.list(mapping, "receiver") { reader, item, context in reader.identity(item, context) }
        let sender = self.list(mapping, "sender") { reader, item, context in reader.identity(item, context) }
        guard let receiver, let sender else { return nil }
        return OurIdentities(receiver: receiver, sender: sender)
    }

    // MARK: Documents

    mutating func documents(_ node: Node) -> Documents? {
        guard let mapping = self.mapping(node, "documents", required: [], optional: ["inbound", "outbound"]) else {
            return nil
        }
        if mapping.values.isEmpty {
            self.report(.missingOneOf(["inbound", "outbound"], in: "documents", at: self.location(node)))
        }
        let inbound = self.list(mapping, "inbound") { reader, item, context in reader.document(item, context) }
        let outbound = self.list(mapping, "outbound") { reader, item, context in reader.document(item, context) }
        return Documents(inbound: inbound ?? [], outbound: outbound ?? [])
    }

    mutating func document(_ node: Node, _ context: String) -> DocumentAgreement? {
        guard
            let mapping = self.mapping(
                node,
                context,
                required: ["type", "standard", "version"],
                optional: ["grammar", "map", "overrides"]
            )
        else { return nil }
        var type = self.string(mapping, "type", .documentType)
        let standard = self.choice(mapping, "standard", DocumentStandard.self)
        var version = self.string(mapping, "version", .documentVersion)
        let grammar = self.string(mapping, "grammar", .grammarPath)
        let map = self.string(mapping, "map", .mapPath)
        let overrides = mapping["overrides"].map { self.overrides($0, mapping.path("overrides")) }
        if let standard {
            let (typeFormat, versionFormat): (TextFormat, TextFormat) =
                standard == .x12
                ? (.x12DocumentType, .x12DocumentVersion) : (.edifactDocumentType, .edifactDocumentVersion)
            if let text = type, !typeFormat.matches(text), let node = mapping["type"] {
                self.report(
                    .inconsistentValue(
                        text,
                        expected: "\(typeFormat.expected) for \(standard.rawValue)",
                        at: self.location(node)
                    )
                )
                type = nil
            }
            if let text = version, !versionFormat.matches(text), let node = mapping["version"] {
                self.report(
                    .inconsistentValue(
                        text,
                        expected: "\(versionFormat.expected) for \(standard.rawValue)",
                        at: self.location(node)
                    )
                )
                version = nil
            }
        }
        guard let type, let standard, let version else { return nil }
        return DocumentAgreement(
            type: type,
            standard: standard,
            version: version,
            grammar: grammar,
            map: map,
            overrides: overrides ?? DocumentOverrides()
        )
    }

    mutating func overrides(_ node: Node, _ context: String) -> DocumentOverrides {
        guard let mapping = self.mapping(node, context, required: [], optional: ["rules", "hierarchy"]) else {
            return DocumentOverrides()
        }
        let rules = self.list(mapping, "rules") { reader, item, context -> MapRuleOverride? in
            guard let rule = reader.mapping(item, context, required: ["field", "reference"]) else { return nil }
            let field = reader.string(rule, "field", .fieldPath)
            let reference = reader.string(rule, "reference", .elementReference)
            guard let field, let reference else { return nil }
            return MapRuleOverride(field: field, reference: reference)
        }
        let hierarchy = self.list(mapping, "hierarchy") { reader, item, _ in
            reader.string(item, .hierarchyPath).map { $0.split(separator: "-").map(String.init) }
        }
        return DocumentOverrides(rules: rules ?? [], hierarchy: hierarchy)
    }

    // MARK: Outbound syntax

    mutating func outboundSyntax(_ node: Node) -> OutboundSyntax {
        guard
            let mapping = self.mapping(
                node,
                "outboundSyntax",
                required: [],
                optional: ["delimiters", "x12Version", "edifactSyntax", "characterSet", "lineBreak", "usage"]
            )
        else { return OutboundSyntax() }
        let delimiters = mapping["delimiters"].flatMap { self.delimiters($0) }
        let x12Version = self.string(mapping, "x12Version", .x12InterchangeVersion)
        let edifactSyntax = mapping["edifactSyntax"].flatMap { node -> EDIFACTSyntax? in
            guard
                let syntax = self.mapping(node, "outboundSyntax.edifactSyntax", required: ["identifier", "version"])
            else { return nil }
            let identifier = self.string(syntax, "identifier", .edifactSyntaxIdentifier)
            let version = self.string(syntax, "version", .edifactSyntaxVersion)
            guard let identifier, let version else { return nil }
            return EDIFACTSyntax(identifier: identifier, version: version)
        }
        return OutboundSyntax(
            delimiters: delimiters,
            x12Version: x12Version,
            edifactSyntax: edifactSyntax,
            characterSet: self.choice(mapping, "characterSet", CharacterEncoding.self),
            lineBreak: self.choice(mapping, "lineBreak", LineBreak.self) ?? .none,
            usage: self.choice(mapping, "usage", OutboundSyntax.Usage.self) ?? .production
        )
    }

    /// The delimiters, each one printable ASCII character that is no letter, digit or space, all different.
    mutating func delimiters(_ node: Node) -> OutboundSyntax.Delimiters? {
        let roles: [(key: String, name: String)] = [
            ("element", "element separator"), ("component", "component separator"),
            ("repetition", "repetition separator"), ("segmentTerminator", "segment terminator"),
            ("release", "release character"),
        ]
        guard
            let mapping = self.mapping(
                node,
                "outboundSyntax.delimiters",
                required: ["element", "component", "segmentTerminator"],
                optional: ["repetition", "release"]
            )
        else { return nil }
        var found: [String: Character] = [:]
        var valid = true
        for role in roles {
            guard let node = mapping[role.key] else { continue }
            guard let character = self.delimiter(node, role.name) else {
                valid = false
                continue
            }
            if let other = roles.first(where: { found[$0.key] == character }) {
                self.report(
                    .invalidDelimiter(
                        role.name,
                        expected: "a character no other delimiter uses",
                        found: "'\(character)', the \(other.name) too",
                        at: self.location(node)
                    )
                )
                valid = false
                continue
            }
            found[role.key] = character
        }
        guard valid, let element = found["element"], let component = found["component"],
            let terminator = found["segmentTerminator"]
        else { return nil }
        return OutboundSyntax.Delimiters(
            element: element,
            component: component,
            repetition: found["repetition"],
            segmentTerminator: terminator,
            release: found["release"]
        )
    }

    private mutating func delimiter(_ node: Node, _ role: String) -> Character? {
        let expected = "one printable ASCII character other than a letter, digit or space in quotes"
        guard let text = Self.stringScalar(node) else {
            self.report(
                .invalidDelimiter(role, expected: expected, found: Self.describe(node), at: self.location(node))
            )
            return nil
        }
        guard TextFormat.delimiter.matches(text), let character = text.first else {
            let count = text.unicodeScalars.count
            let found =
                count == 0
                ? "nothing"
                : count == 1 ? ProfileError.quoted(text) : "\(count) characters \(ProfileError.quoted(text))"
            self.report(.invalidDelimiter(role, expected: expected, found: found, at: self.location(node)))
            return nil
        }
        return character
    }

    // MARK: Acknowledgments

    mutating func acknowledgments(_ node: Node, outbound: [DocumentAgreement]?) -> AcknowledgmentPolicy {
        guard
            let mapping = self.mapping(
                node,
                "acknowledgments",
                required: [],
                optional: ["ta1", "functional", "contrl", "expect"]
            )
        else { return AcknowledgmentPolicy() }
        let ta1 = self.choice(mapping, "ta1", TA1Policy.self)
        let functional = self.choice(mapping, "functional", FunctionalAcknowledgment.self)
        let contrl = self.boolean(mapping, "contrl")
        let expected = self.list(mapping, "expect") { reader, item, context in
            reader.expectedAcknowledgment(item, context, outbound: outbound)
        }
        return AcknowledgmentPolicy(
            ta1: ta1 ?? .onRequest,
            functional: functional ?? .none,
            contrl: contrl ?? false,
            expected: expected ?? []
        )
    }

    mutating func expectedAcknowledgment(_ node: Node, _ context: String, outbound: [DocumentAgreement]?)
        -> ExpectedAcknowledgment?
    {
        guard let mapping = self.mapping(node, context, required: ["document", "acknowledgment", "within"]) else {
            return nil
        }
        let document = self.string(mapping, "document", .documentType)
        let kind = self.choice(mapping, "acknowledgment", ExpectedAcknowledgment.Kind.self)
        let within = self.duration(mapping, "within")
        guard let document, let kind, let within else { return nil }
        // Only documents we send are acknowledged to us, each by an acknowledgment of its own standard.
        if let outbound {
            guard let agreement = outbound.first(where: { $0.type == document }) else {
                let types = outbound.map { "'\($0.type)'" }
                self.report(
                    .inconsistentValue(
                        document,
                        expected: types.isEmpty
                            ? "an outbound document type, and documents.outbound lists none"
                            : "an outbound document type (\(types.joined(separator: ", ")))",
                        at: self.location(mapping["document"] ?? node)
                    )
                )
                return nil
            }
            let fits = agreement.standard == .x12 ? kind != .contrl : kind == .contrl
            if !fits {
                self.report(
                    .inconsistentValue(
                        kind.rawValue,
                        expected: agreement.standard == .x12
                            ? "'TA1', '997' or '999' for an X12 document" : "'CONTRL' for an EDIFACT document",
                        at: self.location(mapping["acknowledgment"] ?? node)
                    )
                )
                return nil
            }
        }
        return ExpectedAcknowledgment(document: document, acknowledgment: kind, within: within)
    }

    // MARK: Control numbers

    mutating func controlNumbers(_ node: Node) -> ControlNumberSettings {
        guard
            let mapping = self.mapping(
                node,
                "controlNumbers",
                required: [],
                optional: ["interchange", "group", "transaction"]
            )
        else { return ControlNumberSettings() }
        let defaults = ControlNumberSettings()
        func level(_ reader: inout ProfileReader, _ level: ControlNumberLevel) -> ControlNumberFormat {
            guard let node = mapping[level.rawValue],
                let format = reader.mapping(node, mapping.path(level.rawValue), required: ["start", "width"])
            else { return defaults[level] }
            let width = reader.integer(format, "width", 1...14, "a width")
            let start = reader.integer(format, "start", 1...99_999_999_999_999, "a start")
            guard let width, let start else { return defaults[level] }
            let result = ControlNumberFormat(start: start, width: width)
            if start > result.maximum, let node = format["start"] {
                reader.report(
                    .outOfRange(start, expected: "a start of at most \(width) digits", at: reader.location(node))
                )
            }
            return result
        }
        return ControlNumberSettings(
            interchange: level(&self, .interchange),
            group: level(&self, .group),
            transaction: level(&self, .transaction)
        )
    }

    // MARK: Validation

    mutating func validation(_ node: Node) -> ValidationPolicy {
        guard
            let mapping = self.mapping(node, "validation", required: [], optional: ["default", "rules", "limits"])
        else { return ValidationPolicy() }
        let defaultStrictness = mapping["default"].flatMap { self.strictness($0) }
        var rules: [String: Strictness] = [:]
        if let node = mapping["rules"], let entries = self.entries(node, "validation.rules") {
            for entry in entries {
                guard ValidationPolicy.findingCodes.contains(entry.name) else {
                    self.report(.unknownFindingCode(entry.name, at: self.location(entry.key)))
                    continue
                }
                if let strictness = self.strictness(entry.value) { rules[entry.name] = strictness }
            }
        }
        var limits = ValidationLimits()
        if let node = mapping["limits"],
            let limitsMapping = self.mapping(
                node,
                "validation.limits",
                required: [],
                optional: ["maximumFileSize", "maximumSegmentsPerTransaction", "maximumFindingsPerTransaction"]
            )
        {
            let size = self.string(limitsMapping, "maximumFileSize", .fileSize).flatMap(Self.byteCount)
            let segments = self.integer(
                limitsMapping,
                "maximumSegmentsPerTransaction",
                1...100_000_000,
                "a segment count"
            )
            let findings = self.integer(limitsMapping, "maximumFindingsPerTransaction", 1...10_000, "a finding count")
            limits = ValidationLimits(
                maximumFileSize: size ?? limits.maximumFileSize,
                maximumSegmentsPerTransaction: segments ?? limits.maximumSegmentsPerTransaction,
                maximumFindingsPerTransaction: findings ?? limits.maximumFindingsPerTransaction
            )
        }
        return ValidationPolicy(defaultStrictness: defaultStrictness ?? .strict, rules: rules, limits: limits)
    }

    /// `strict`, `lenient` or `off`; a bare `off` is the boolean false to YAML 1.1, and is read as `off`.
    mutating func strictness(_ node: Node) -> Strictness? {
        if Self.kind(node) == .bool, node.bool == false { return .off }
        return self.choice(node, Strictness.self)
    }

    /// `50MiB` in bytes.
    static func byteCount(_ text: String) -> Int? {
        let units: [(suffix: String, factor: Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)]
        for unit in units where text.hasSuffix(unit.suffix) {
            return Int(text.dropLast(unit.suffix.count)).map { $0 * unit.factor }
        }
        return nil
    }

    // MARK: Endpoints

    mutating func endpoints(_ node: Node) -> Endpoints {
        guard let mapping = self.mapping(node, "endpoints", required: [], optional: ["sftp", "as2"]) else {
            return Endpoints()
        }
        return Endpoints(
            sftp: mapping["sftp"].flatMap { self.sftp($0) },
            as2: mapping["as2"].flatMap { self.as2($0) }
        )
    }

    mutating func sftp(_ node: Node) -> SFTPEndpoint? {
        let context = "endpoints.sftp"
        guard
            let mapping = self.mapping(
                node,
                context,
                required: ["host", "username", "hostKeyFingerprint"],
                optional: ["port", "inbox", "outbox", "pollInterval", "password", "privateKey"]
            )
        else { return nil }
        let host = self.string(mapping, "host", .host)
        let port = self.integer(mapping, "port", 1...65535, "a port")
        let username = self.string(mapping, "username", .username)
        let inbox = self.string(mapping, "inbox", .remotePath)
        let outbox = self.string(mapping, "outbox", .remotePath)
        let pollInterval = self.duration(mapping, "pollInterval")
        let fingerprint = self.string(mapping, "hostKeyFingerprint", .hostKeyFingerprint)
        let password = self.secret(mapping, "password")
        let privateKey = self.secret(mapping, "privateKey")
        if mapping["inbox"] == nil && mapping["outbox"] == nil {
            self.report(.missingOneOf(["inbox", "outbox"], in: context, at: self.location(node)))
        }
        let credential: SFTPCredential?
        switch (mapping.keys["password"], mapping.keys["privateKey"]) {
        case (nil, nil):
            self.report(.missingOneOf(["password", "privateKey"], in: context, at: self.location(node)))
            credential = nil
        case (.some(let first), .some(let second)):
            let later = self.location(second) < self.location(first) ? first : second
            self.report(
                .conflictingKeys(
                    expected: "one of 'password' and 'privateKey'",
                    found: "both",
                    at: self.location(later)
                )
            )
            credential = nil
        case (.some, nil):
            credential = password.map(SFTPCredential.password)
        case (nil, .some):
            credential = privateKey.map(SFTPCredential.privateKey)
        }
        guard let host, let username, let fingerprint, let credential else { return nil }
        return SFTPEndpoint(
            host: host,
            port: port ?? 22,
            username: username,
            inbox: inbox,
            outbox: outbox,
            pollInterval: pollInterval ?? .seconds(300),
            hostKeyFingerprint: fingerprint,
            credential: credential
        )
    }

    mutating func as2(_ node: Node) -> AS2Endpoint? {
        let context = "endpoints.as2"
        guard
            let mapping = self.mapping(
                node,
                context,
                required: [
                    "url", "as2From", "as2To", "signing", "encryption", "mdn", "partnerCertificate", "ourCertificate",
                    "privateKey",
                ],
                optional: ["asyncMDNURL"]
            )
        else { return nil }
        let url = self.string(mapping, "url", .url)
        let as2From = self.string(mapping, "as2From", .as2Identifier)
        let as2To = self.string(mapping, "as2To", .as2Identifier)
        let signing = self.choice(mapping, "signing", SigningAlgorithm.self)
        let encryption = self.choice(mapping, "encryption", EncryptionAlgorithm.self)
        let mode = self.choice(mapping, "mdn", MDNMode.self)
        let asyncURL = self.string(mapping, "asyncMDNURL", .url)
        let partnerCertificate = self.string(mapping, "partnerCertificate", .certificatePath)
        let ourCertificate = self.string(mapping, "ourCertificate", .certificatePath)
        let privateKey = self.secret(mapping, "privateKey")
        var mdn: MDNDelivery?
        switch mode {
        case .sync:
            if let key = mapping.keys["asyncMDNURL"] {
                self.report(
                    .conflictingKeys(
                        expected: "'asyncMDNURL' only with mdn 'async'",
                        found: "it with mdn 'sync'",
                        at: self.location(key)
                    )
                )
            } else {
                mdn = .synchronous
            }
        case .async:
            if mapping.keys["asyncMDNURL"] == nil, let node = mapping["mdn"] {
                self.report(
                    .conflictingKeys(
                        expected: "'asyncMDNURL' with mdn 'async'",
                        found: "no 'asyncMDNURL' in \(context)",
                        at: self.location(node)
                    )
                )
            } else {
                mdn = asyncURL.map { .asynchronous(url: $0) }
            }
        case nil:
            break
        }
        guard let url, let as2From, let as2To, let signing, let encryption, let mdn, let partnerCertificate,
            let ourCertificate, let privateKey
        else { return nil }
        return AS2Endpoint(
            url: url,
            as2From: as2From,
            as2To: as2To,
            signing: signing,
            encryption: encryption,
            mdn: mdn,
            partnerCertificate: partnerCertificate,
            ourCertificate: ourCertificate,
            privateKey: privateKey
        )
    }

    /// How the MDN is written in a profile.
    enum MDNMode: String, CaseIterable {
        case sync
        case async
    }
}
