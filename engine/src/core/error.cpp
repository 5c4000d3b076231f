#include "momq/error.h"

#include "momq/store.h"

namespace momq {

namespace {
template <typename E> [[noreturn]] void prefixed(const E &e, const std::string &context) {
    throw E(context + ": " + e.what());
}
}  // namespace

void rethrowWithContext(const std::string &context) {
    try {
        throw;
    } catch (const StoreError &e) {
        throw StoreError(e.kind(), context + ": " + e.what());
    } catch (const FormatError &e) {
        prefixed(e, context);
    } catch (const ConnectionError &e) {
        prefixed(e, context);
    } catch (const Error &e) {
        prefixed(e, context);
    } catch (const std::exception &e) {
        throw Error(context + ": " + e.what());
    }
}

}  // namespace momq
