// A loopback TCP connection that sends exactly the bytes a test gives it: for requests an HTTP
// client library would refuse to send, half-sent requests and idle or slow clients.
#pragma once

#include <string>
#include <string_view>

namespace nexuskb::testing {

// Connected on construction, with 5 s send and receive timeouts; closed when the object dies.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  void close();
  // Sends every byte; false when the connection failed first.
  bool send(std::string_view data);
  // Closes the sending side (the peer reads end of file).
  void shutdown_send();
  // One response: its status (0 when none came) and head; the body by Content-Length, kept in
  // `body_out` when given.
  int read_response(std::string* head_out = nullptr, std::string* body_out = nullptr);

 private:
  int fd_ = -1;
};

}  // namespace nexuskb::testing
