"""Domain errors raised by the library; the CLI and the app turn them into friendly messages."""


class AssistantError(Exception):
    """Base class of every error the assistant reports to its users."""


class ConfigError(AssistantError):
    pass


class DocumentError(AssistantError):
    """One source file cannot be read; ingestion skips it and reports why."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IndexMissingError(AssistantError):
    pass


class IndexMismatchError(AssistantError):
    """The index on disk was built with another embedder, chunking or format."""


class EmbedderError(AssistantError):
    pass


class LLMError(AssistantError):
    pass
